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
