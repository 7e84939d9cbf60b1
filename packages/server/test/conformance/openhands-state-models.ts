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

/*
 * What OpenHands' agent server writes (pydantic's dump: every field present, no other key), to hold
 * Troupe's output to: ConversationInfo's `stats` and a `full_state`'s carry whole Metrics (the
 * per-call lists), ConversationInfo's `metrics` a MetricsSnapshot (no lists).
 */

const OhTokenUsageDump = z.strictObject({
  model: z.string(),
  prompt_tokens: count,
  completion_tokens: count,
  cache_read_tokens: count,
  cache_write_tokens: count,
  reasoning_tokens: count,
  context_window: count,
  /** Prompt plus completion tokens of the call (of the last call, on an accumulated usage). */
  per_turn_token: count,
  response_id: z.string(),
});

const OhMetricsSnapshotFields = {
  model_name: z.string(),
  accumulated_cost: z.number().nonnegative(),
  max_budget_per_task: z.number().nullable(),
  accumulated_token_usage: OhTokenUsageDump.nullable(),
};

export const OhMetricsSnapshotDump = z.strictObject(OhMetricsSnapshotFields);

export const OhMetricsDump = z.strictObject({
  ...OhMetricsSnapshotFields,
  costs: z.array(z.strictObject({ model: z.string(), cost: z.number().nonnegative(), timestamp: z.number() })),
  response_latencies: z.array(z.strictObject({ model: z.string(), latency: z.number().nonnegative(), response_id: z.string() })),
  token_usages: z.array(OhTokenUsageDump),
});
export type OhMetricsDump = z.infer<typeof OhMetricsDump>;

export const OhConversationStatsDump = z.strictObject({ usage_to_metrics: z.record(z.string(), OhMetricsDump) });
