import { z } from 'zod';

/**
 * The conformance oracle, part 3: OpenHands' ConversationStats as the client reads it from
 * ConversationInfo and `full_state` (helper models: unknown keys ignored, defaults filled).
 */

const count = z.number().int().nonnegative();

const OhTokenUsage = z.looseObject({
  model: z.string().optional(),
  prompt_tokens: count.optional(),
  completion_tokens: count.optional(),
  cache_read_tokens: count.optional(),
  cache_write_tokens: count.optional(),
  reasoning_tokens: count.optional(),
  context_window: count.optional(),
  per_turn_token: count.optional(),
  response_id: z.string().optional(),
});

const OhMetrics = z.looseObject({
  model_name: z.string().optional(),
  accumulated_cost: z.number().nonnegative().optional(),
  max_budget_per_task: z.number().nullable().optional(),
  accumulated_token_usage: OhTokenUsage.nullable().optional(),
  /** `timestamp`: seconds since the epoch, a float (`time.time()`). */
  costs: z.array(z.looseObject({ model: z.string(), cost: z.number().nonnegative(), timestamp: z.number().optional() })).optional(),
  response_latencies: z.array(z.looseObject({ model: z.string(), latency: z.number().nonnegative(), response_id: z.string() })).optional(),
  token_usages: z.array(OhTokenUsage).optional(),
});

export const OhConversationStats = z.looseObject({ usage_to_metrics: z.record(z.string(), OhMetrics).optional() });
