import { z } from 'zod';

/** Token counts of one call, or accumulated over many. */
export const TokenUsageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  cache_read_tokens: z.number().int().nonnegative(),
  cache_write_tokens: z.number().int().nonnegative(),
  reasoning_tokens: z.number().int().nonnegative(),
  response_id: z.string().optional(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** Everything measured for one LLM (one `usageId`) in a conversation. */
export const MetricsSchema = z.object({
  model_name: z.string(),
  accumulated_cost: z.number().nonnegative(),
  accumulated_token_usage: TokenUsageSchema,
  costs: z.array(z.object({ model: z.string(), cost: z.number(), timestamp: z.string() })),
  /** Seconds from request to complete reply, per call. */
  response_latencies: z.array(z.object({ model: z.string(), latency: z.number(), response_id: z.string() })),
  token_usages: z.array(TokenUsageSchema),
});
export type Metrics = z.infer<typeof MetricsSchema>;

export const ConversationStatsSchema = z.object({
  usage_to_metrics: z.record(z.string(), MetricsSchema),
});
export type ConversationStats = z.infer<typeof ConversationStatsSchema>;

/** What one completed model call measured. */
export interface LLMCallRecord {
  model: string;
  responseId: string;
  latencyMs: number;
  cost: number;
  usage: Omit<TokenUsage, 'response_id'>;
}

export function emptyTokenUsage(): TokenUsage {
  return { prompt_tokens: 0, completion_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
}

export function emptyStats(): ConversationStats {
  return { usage_to_metrics: {} };
}

function addUsage(total: TokenUsage, add: Omit<TokenUsage, 'response_id'>): TokenUsage {
  return {
    prompt_tokens: total.prompt_tokens + add.prompt_tokens,
    completion_tokens: total.completion_tokens + add.completion_tokens,
    cache_read_tokens: total.cache_read_tokens + add.cache_read_tokens,
    cache_write_tokens: total.cache_write_tokens + add.cache_write_tokens,
    reasoning_tokens: total.reasoning_tokens + add.reasoning_tokens,
  };
}

/** Adds one call to the metrics of `usageId`, in place. */
export function recordCall(stats: ConversationStats, usageId: string, call: LLMCallRecord): void {
  const metrics = (stats.usage_to_metrics[usageId] ??= {
    model_name: call.model,
    accumulated_cost: 0,
    accumulated_token_usage: emptyTokenUsage(),
    costs: [],
    response_latencies: [],
    token_usages: [],
  });
  metrics.accumulated_cost += call.cost;
  metrics.accumulated_token_usage = addUsage(metrics.accumulated_token_usage, call.usage);
  if (call.cost > 0) metrics.costs.push({ model: call.model, cost: call.cost, timestamp: new Date().toISOString() });
  metrics.response_latencies.push({ model: call.model, latency: call.latencyMs / 1000, response_id: call.responseId });
  metrics.token_usages.push({ ...call.usage, response_id: call.responseId });
}

/** Cost of the whole conversation, over every LLM, in USD. */
export function totalCost(stats: ConversationStats): number {
  let cost = 0;
  for (const metrics of Object.values(stats.usage_to_metrics)) cost += metrics.accumulated_cost;
  return cost;
}

/** Tokens of the whole conversation, over every LLM. */
export function totalTokenUsage(stats: ConversationStats): TokenUsage {
  let total = emptyTokenUsage();
  for (const metrics of Object.values(stats.usage_to_metrics)) total = addUsage(total, metrics.accumulated_token_usage);
  return total;
}

/** The stats without per-call lists: small enough to send on every change. */
export function statsSnapshot(stats: ConversationStats): ConversationStats {
  const usage_to_metrics: ConversationStats['usage_to_metrics'] = {};
  for (const [usageId, metrics] of Object.entries(stats.usage_to_metrics)) {
    usage_to_metrics[usageId] = { ...metrics, costs: [], response_latencies: [], token_usages: [] };
  }
  return { usage_to_metrics };
}
