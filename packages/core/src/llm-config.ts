import { z } from 'zod';

/**
 * A serialisable LLM configuration: it crosses the thread boundary and is stored with a
 * conversation (without `apiKey`). `model` follows the LiteLLM convention `provider/model`.
 */
export const LLMConfigSchema = z.object({
  /** Key under which this LLM's usage and cost are accumulated. */
  usageId: z.string().min(1).default('agent'),
  model: z.string().min(1),
  apiKey: z.string().min(1).optional(),
  baseUrl: z.url().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxOutputTokens: z.number().int().positive().optional(),
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
});
export type LLMConfig = z.output<typeof LLMConfigSchema>;
export type LLMOptions = z.input<typeof LLMConfigSchema>;
