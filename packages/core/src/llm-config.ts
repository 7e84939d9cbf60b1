import { z } from 'zod';

/** How hard a reasoning model thinks; `none` only where the model allows it (see `model-capabilities.ts`). */
export const ReasoningEffortSchema = z.enum(['none', 'low', 'medium', 'high']);
export type ReasoningEffort = z.infer<typeof ReasoningEffortSchema>;

/** The options of an LLM, each with its schema. */
const fields = {
  /** Key under which this LLM's usage and cost are accumulated. */
  usageId: z.string().min(1).default('agent'),
  model: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  baseUrl: z.url().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  topP: z.number().min(0).max(1).optional(),
  /** Anthropic and servers that pass it on (vLLM, OpenRouter, …). */
  topK: z.number().int().nonnegative().optional(),
  seed: z.number().int().optional(),
  /** Stop sequences. */
  stop: z.array(z.string().min(1)).max(16).optional(),
  /** OpenAI reasoning models, Gemini and other `reasoning_effort` models. */
  reasoningEffort: ReasoningEffortSchema.optional(),
  /** Anthropic extended thinking: the thinking budget in tokens (at least 1024, below the output limit); interleaved between tool calls. */
  extendedThinkingBudget: z.number().int().min(1024).optional(),
  /**
   * Anthropic prompt caching: cache breakpoints on the tools, the system prompt and the last two
   * turns. Providers that cache by themselves (OpenAI, Gemini, DeepSeek) do so either way.
   */
  cachingPrompt: z.boolean().default(true),
  /** `auto`: the provider's native API (Anthropic: Messages); `chat`: OpenAI Chat Completions; `responses`: OpenAI's Responses API. */
  apiMode: z.enum(['auto', 'chat', 'responses']).default('auto'),
  /** Azure's `api-version` (default `AZURE_API_VERSION`, else the latest GA version). */
  apiVersion: z.string().min(1).optional(),
  /** Headers added to every request. */
  extraHeaders: z.record(z.string(), z.string()).optional(),
  /** Fields merged into every request body, for what Troupe has no option for (proxy metadata, vLLM extras). */
  litellmExtraBody: z.record(z.string(), z.unknown()).optional(),
  timeoutMs: z.number().int().positive().default(300_000),
  /** Retries after the first attempt, for 429, 5xx and connection errors. */
  maxRetries: z.number().int().min(0).default(5),
  retryMinDelayMs: z.number().nonnegative().default(2_000),
  retryMaxDelayMs: z.number().nonnegative().default(60_000),
  /**
   * Most connections open at once to the endpoint, per thread. Conversations beyond it wait for a
   * free keep-alive connection instead of each opening a socket (10,000 agents need no 10,000 files).
   */
  maxConnections: z.number().int().positive().default(256),
  /** Stream the reply and emit token events. */
  stream: z.boolean().default(false),
  /** USD per token; override the built-in price table. */
  inputCostPerToken: z.number().nonnegative().optional(),
  outputCostPerToken: z.number().nonnegative().optional(),
  cacheReadCostPerToken: z.number().nonnegative().optional(),
  cacheWriteCostPerToken: z.number().nonnegative().optional(),
};

/** The options a fallback model takes from the LLM it stands in for: how to call, not what the provider or model is. */
export const FALLBACK_INHERITED_OPTIONS = [
  'usageId',
  'temperature',
  'maxOutputTokens',
  'topP',
  'stop',
  'cachingPrompt',
  'timeoutMs',
  'maxRetries',
  'retryMinDelayMs',
  'retryMaxDelayMs',
  'maxConnections',
  'stream',
] as const satisfies ReadonlyArray<keyof typeof fields>;

/**
 * A model the LLM falls back to, in order, once its retries on a provider error are spent. It has
 * its own model, endpoint, key, API and provider options (reasoning, thinking, seed, prices, extra
 * headers and body); the `FALLBACK_INHERITED_OPTIONS` are the LLM's.
 */
export const FallbackModelSchema = z.object(fields).omit(Object.fromEntries(FALLBACK_INHERITED_OPTIONS.map((key) => [key, true])) as { [K in (typeof FALLBACK_INHERITED_OPTIONS)[number]]: true });
export type FallbackModel = z.output<typeof FallbackModelSchema>;

/**
 * A serialisable LLM configuration: it crosses the thread boundary and is stored with a
 * conversation (without `apiKey`). `model` follows the LiteLLM convention `provider/model`.
 * Option names are OpenHands' LLM field names in camelCase (`topP` is its `top_p`); an option
 * the chosen provider cannot take is a `ConfigError` when the LLM is made.
 */
export const LLMConfigSchema = z.object({
  ...fields,
  /** Models tried in order when this one fails for good on a provider error (429, 5xx, connection, timeout). */
  fallbacks: z.array(FallbackModelSchema).default([]),
});
export type LLMConfig = z.output<typeof LLMConfigSchema>;
export type LLMOptions = z.input<typeof LLMConfigSchema>;

/** The config a fallback model is called with: its own options, and the inherited ones of `primary`. */
export function fallbackConfig(primary: LLMConfig, fallback: FallbackModel): LLMConfig {
  const inherited = Object.fromEntries(FALLBACK_INHERITED_OPTIONS.flatMap((key) => (primary[key] === undefined ? [] : [[key, primary[key]]])));
  return { ...fallback, ...(inherited as Pick<LLMConfig, (typeof FALLBACK_INHERITED_OPTIONS)[number]>), fallbacks: [] };
}
