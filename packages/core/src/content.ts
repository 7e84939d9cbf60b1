import { z } from 'zod';

/** A text part of a message or observation. Strict, as OpenHands' (`cache_prompt` is its prompt-cache mark). */
export const TextContentSchema = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  cache_prompt: z.boolean().optional(),
});
export type TextContent = z.infer<typeof TextContentSchema>;

/** One or more images, as http(s) or `data:` URLs. */
export const ImageContentSchema = z.object({
  type: z.literal('image'),
  image_urls: z.array(z.string()).min(1),
  cache_prompt: z.boolean().optional(),
});
export type ImageContent = z.infer<typeof ImageContentSchema>;

export const ContentSchema = z.discriminatedUnion('type', [TextContentSchema, ImageContentSchema]);
export type Content = z.infer<typeof ContentSchema>;

/**
 * A tool call as the model returned it, in OpenHands' `MessageToolCall` shape (the one shape of a
 * call everywhere but inside a provider adapter). `origin` is the API it came from.
 */
export const ToolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Raw JSON text exactly as the model produced it (it may be malformed). */
  arguments: z.string(),
  origin: z.enum(['completion', 'responses']),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

/**
 * Anthropic's extended thinking, kept as the API returned it: it must go back unchanged (signature
 * included) on later turns. OpenHands' `ThinkingBlock` / `RedactedThinkingBlock`.
 */
export const ThinkingBlockSchema = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().nullable().optional(),
});
export const RedactedThinkingBlockSchema = z.object({
  type: z.literal('redacted_thinking'),
  /** Opaque: the encrypted thinking. */
  data: z.string(),
});
export const AnyThinkingBlockSchema = z.discriminatedUnion('type', [ThinkingBlockSchema, RedactedThinkingBlockSchema]);
export type ThinkingBlock = z.infer<typeof ThinkingBlockSchema>;
export type RedactedThinkingBlock = z.infer<typeof RedactedThinkingBlockSchema>;
export type AnyThinkingBlock = z.infer<typeof AnyThinkingBlockSchema>;

/**
 * The reasoning item of an OpenAI Responses API reply (OpenHands' `ReasoningItemModel`), sent back
 * as it came so the model keeps its reasoning across tool calls. `encrypted_content` is never shown.
 */
export const ReasoningItemSchema = z.object({
  id: z.string().nullable().optional(),
  summary: z.array(z.string()).default([]),
  content: z.array(z.string()).nullable().optional(),
  encrypted_content: z.string().nullable().optional(),
  status: z.string().nullable().optional(),
});
export type ReasoningItem = z.infer<typeof ReasoningItemSchema>;

export const RoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type Role = z.infer<typeof RoleSchema>;

/** A message of the conversation with the model. */
export const MessageSchema = z.object({
  role: RoleSchema,
  content: z.array(ContentSchema),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
  reasoning_content: z.string().optional(),
  thinking_blocks: z.array(AnyThinkingBlockSchema).optional(),
  responses_reasoning_item: ReasoningItemSchema.nullable().optional(),
});
export type Message = z.infer<typeof MessageSchema>;

export function textContent(text: string): TextContent {
  return { type: 'text', text };
}

/** The text parts of some content, joined by newlines. */
export function contentText(content: readonly Content[]): string {
  let text = '';
  for (const part of content) {
    if (part.type !== 'text') continue;
    text = text.length === 0 ? part.text : `${text}\n${part.text}`;
  }
  return text;
}

/** What callers may pass as a user message: plain text, content parts, or a full user message. */
export const UserMessageInputSchema = z.union([
  z.string(),
  z.array(ContentSchema).min(1),
  MessageSchema.extend({ role: z.literal('user') }),
]);
export type UserMessageInput = z.infer<typeof UserMessageInputSchema>;

export function toUserMessage(input: UserMessageInput): Message {
  if (typeof input === 'string') return { role: 'user', content: [textContent(input)] };
  if (Array.isArray(input)) return { role: 'user', content: input };
  return input;
}
