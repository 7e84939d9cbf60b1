import { z } from 'zod';

/**
 * The request of Anthropic's Messages API (`POST /v1/messages`) as the mock accepts it. Objects are
 * strict, like the real API ("Extra inputs are not permitted"), so a client sending a field the
 * mock does not model hears about it instead of having it ignored. On the way in, a string
 * `system`, a string message `content` and a string tool-result `content` become text blocks.
 */

const CacheControlSchema = z.strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() });
const cacheControl = CacheControlSchema.nullable().optional();
export type AnthropicCacheControl = z.infer<typeof CacheControlSchema>;

const asTextBlocks = (value: unknown): unknown => (typeof value === 'string' ? [{ type: 'text', text: value }] : value);

const TextBlockSchema = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
  // The mock never cites; `null` is accepted so response blocks can be sent back as they came.
  citations: z.null().optional(),
});

const ImageBlockSchema = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('base64'), media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']), data: z.string().min(1) }),
    z.strictObject({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
  cache_control: cacheControl,
});

// Breakpoints go on the tool_result block itself: the mock refuses them on the blocks inside it.
const ToolResultContentSchema = z.discriminatedUnion('type', [TextBlockSchema.omit({ cache_control: true }), ImageBlockSchema.omit({ cache_control: true })]);

const ToolResultBlockSchema = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.preprocess((value) => (value === '' ? [] : asTextBlocks(value)), z.array(ToolResultContentSchema)).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

const ToolUseBlockSchema = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'String should match pattern ^[a-zA-Z0-9_-]+$'),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
  // Sent in responses; accepted back as it came.
  caller: z.strictObject({ type: z.literal('direct') }).optional(),
});

const ThinkingBlockSchema = z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const RedactedThinkingBlockSchema = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });

const UserBlockSchema = z.discriminatedUnion('type', [TextBlockSchema, ImageBlockSchema, ToolResultBlockSchema]);
const AssistantBlockSchema = z.discriminatedUnion('type', [TextBlockSchema, ToolUseBlockSchema, ThinkingBlockSchema, RedactedThinkingBlockSchema]);

const MessageSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('user'), content: z.preprocess(asTextBlocks, z.array(UserBlockSchema)) }),
  z.strictObject({ role: z.literal('assistant'), content: z.preprocess(asTextBlocks, z.array(AssistantBlockSchema)) }),
]);

const ToolSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'String should match pattern ^[a-zA-Z0-9_-]{1,128}$'),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  cache_control: cacheControl,
  type: z.literal('custom', { error: 'the mock serves custom tools only (no server tools such as web search)' }).nullable().optional(),
});

const disableParallel = z.boolean().optional();
const ToolChoiceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: disableParallel }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: disableParallel }),
  z.strictObject({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: disableParallel }),
  z.strictObject({ type: z.literal('none') }),
]);

const display = z.enum(['summarized', 'omitted']).nullable().optional();
const ThinkingConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024), display }),
  z.strictObject({ type: z.literal('adaptive'), display }),
  z.strictObject({ type: z.literal('disabled') }),
]);

export const AnthropicRequestSchema = z.strictObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(MessageSchema).min(1, 'at least one message is required'),
  system: z.preprocess(asTextBlocks, z.array(TextBlockSchema)).optional(),
  tools: z.array(ToolSchema).optional(),
  tool_choice: ToolChoiceSchema.optional(),
  thinking: ThinkingConfigSchema.optional(),
  stream: z.boolean().optional(),
  metadata: z.strictObject({ user_id: z.string().max(256).nullable().optional() }).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  stop_sequences: z.array(z.string()).optional(),
  /** Automatic caching: a breakpoint on the last cacheable block of the prompt. */
  cache_control: cacheControl,
  service_tier: z.enum(['auto', 'standard_only']).optional(),
});
export type AnthropicRequest = z.infer<typeof AnthropicRequestSchema>;
export type AnthropicMessage = AnthropicRequest['messages'][number];
export type AnthropicTool = NonNullable<AnthropicRequest['tools']>[number];
export type AnthropicTextBlock = NonNullable<AnthropicRequest['system']>[number];

/** Where a block sits in the prompt, in prompt order: tools, then system, then messages. */
export interface PromptPosition {
  location: 'tools' | 'system' | 'messages';
  /** The tool, system block or message index. */
  index: number;
  /** For messages: the index of the block in the message's content. */
  blockIndex?: number;
}

export interface CacheBreakpoint extends PromptPosition {
  ttl: '5m' | '1h';
  /** Tokens of the prompt up to and including this block. */
  prefixTokens: number;
  /** Set for the breakpoint placed by the request's top-level `cache_control`. */
  automatic?: true;
}

export interface SentBackThinking {
  messageIndex: number;
  blockIndex: number;
  type: 'thinking' | 'redacted_thinking';
  /** The block carries the signature (or data) the mock gave it and is unchanged. */
  valid: boolean;
}

/** What the request log keeps of an Anthropic request, besides its raw body and headers. */
export interface AnthropicRequestRecord {
  /** The validated request; absent when it did not validate. */
  request?: AnthropicRequest;
  apiKey: string | null;
  version: string | null;
  /** The `anthropic-beta` header, split at commas. */
  betas: string[];
  /** Every cache_control breakpoint, in prompt order. */
  cacheBreakpoints: CacheBreakpoint[];
  /** The longest cached prefix this request read, by the position of its last block; null for none. */
  cacheReadUpTo: PromptPosition | null;
  /** Tokens of the whole prompt under the mock's tokenizer (input + cache creation + cache read). */
  promptTokens: number;
  /** The thinking and redacted thinking blocks in the request's assistant messages. */
  thinkingBlocks: SentBackThinking[];
}

/** The validated request, or the message of the first problem in the real API's `path: message` form. */
export function parseAnthropicRequest(body: unknown): { ok: true; request: AnthropicRequest } | { ok: false; message: string } {
  const result = AnthropicRequestSchema.safeParse(body);
  if (result.success) return { ok: true, request: result.data };
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? `${issue.keys.map((key) => (path === '' ? key : `${path}.${key}`)).join(', ')}: Extra inputs are not permitted ` +
        '(the mock accepts the Messages API fields listed in mock-anthropic-request.ts)'
      : issue.message;
  return { ok: false, message: path === '' || issue.code === 'unrecognized_keys' ? message : `${path}: ${message}` };
}
