import { z } from 'zod';

/**
 * The stats of a conversation in OpenHands' shape (ConversationStats → Metrics → TokenUsage),
 * the same in memory, in `state.json`, in ConversationInfo and in `full_state`. A stored record
 * without the per-call lists or the budget (written before they were kept) reads as empty ones.
 */

const count = z.number().int().nonnegative();

/** Token counts of one call, or accumulated over many. */
export const TokenUsageSchema = z.object({
  model: z.string(),
  prompt_tokens: count,
  completion_tokens: count,
  cache_read_tokens: count,
  cache_write_tokens: count,
  reasoning_tokens: count,
  /** The model's context window when known, else 0. */
  context_window: count,
  /** Prompt plus completion tokens of the (last) call: how full the context is. */
  per_turn_token: count,
  /** The call's response id; '' on an accumulated usage. */
  response_id: z.string(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

/** What a provider reports of one call. */
export type TokenCounts = Pick<TokenUsage, 'prompt_tokens' | 'completion_tokens' | 'cache_read_tokens' | 'cache_write_tokens' | 'reasoning_tokens'>;

/** Everything measured for one LLM (one `usageId`) in a conversation. */
export const MetricsSchema = z.object({
  model_name: z.string(),
  accumulated_cost: z.number().nonnegative(),
  /** OpenHands' per-LLM budget: Troupe budgets per conversation (`maxCost`), so always null; absent in files written before it was emitted. */
  max_budget_per_task: z.number().nullable().default(null),
  accumulated_token_usage: TokenUsageSchema,
  /** `timestamp`: when the cost was recorded, in seconds since the epoch (a float, as OpenHands' `time.time()`). */
  costs: z.array(z.object({ model: z.string(), cost: z.number(), timestamp: z.number() })).default([]),
  /** Seconds from request to complete reply, one per call. */
  response_latencies: z.array(z.object({ model: z.string(), latency: z.number(), response_id: z.string() })).default([]),
  /** One per call that reported tokens (OpenHands skips a usage of no prompt and no completion tokens). */
  token_usages: z.array(TokenUsageSchema).default([]),
});
export type Metrics = z.output<typeof MetricsSchema>;

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
  usage: TokenCounts;
  /** The model's context window when known (`modelCapabilities`); absent: 0. */
  contextWindow?: number;
}

export function emptyTokenUsage(model = ''): TokenUsage {
  return { model, prompt_tokens: 0, completion_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 0, per_turn_token: 0, response_id: '' };
}

export function emptyStats(): ConversationStats {
  return { usage_to_metrics: {} };
}

/** The sum of two usages (OpenHands' rule: the widest context window, the newest turn's size, the first's model and id). */
function addUsage(total: TokenUsage, add: TokenUsage): TokenUsage {
  return {
    model: total.model,
    prompt_tokens: total.prompt_tokens + add.prompt_tokens,
    completion_tokens: total.completion_tokens + add.completion_tokens,
    cache_read_tokens: total.cache_read_tokens + add.cache_read_tokens,
    cache_write_tokens: total.cache_write_tokens + add.cache_write_tokens,
    reasoning_tokens: total.reasoning_tokens + add.reasoning_tokens,
    context_window: Math.max(total.context_window, add.context_window),
    per_turn_token: add.per_turn_token,
    response_id: total.response_id,
  };
}

/** Adds one call to the metrics of `usageId`, in place. */
export function recordCall(stats: ConversationStats, usageId: string, call: LLMCallRecord): void {
  const metrics = (stats.usage_to_metrics[usageId] ??= {
    model_name: call.model,
    accumulated_cost: 0,
    max_budget_per_task: null,
    accumulated_token_usage: emptyTokenUsage(call.model),
    costs: [],
    response_latencies: [],
    token_usages: [],
  });
  metrics.accumulated_cost += call.cost;
  // OpenHands' lists: every call's latency, a cost only when there is one, tokens only when any were counted.
  if (call.cost > 0) metrics.costs.push({ model: call.model, cost: call.cost, timestamp: Date.now() / 1000 });
  metrics.response_latencies.push({ model: call.model, latency: Math.max(0, call.latencyMs) / 1000, response_id: call.responseId });
  if (call.usage.prompt_tokens === 0 && call.usage.completion_tokens === 0) return;
  const usage: TokenUsage = {
    model: call.model,
    prompt_tokens: call.usage.prompt_tokens,
    completion_tokens: call.usage.completion_tokens,
    cache_read_tokens: call.usage.cache_read_tokens,
    cache_write_tokens: call.usage.cache_write_tokens,
    reasoning_tokens: call.usage.reasoning_tokens,
    context_window: call.contextWindow ?? 0,
    per_turn_token: call.usage.prompt_tokens + call.usage.completion_tokens,
    response_id: call.responseId,
  };
  metrics.accumulated_token_usage = addUsage(metrics.accumulated_token_usage, usage);
  metrics.token_usages.push(usage);
}

/** Cost of the whole conversation, over every LLM, in USD. */
export function totalCost(stats: ConversationStats): number {
  let cost = 0;
  for (const metrics of Object.values(stats.usage_to_metrics)) cost += metrics.accumulated_cost;
  return cost;
}

/** Tokens of the whole conversation, over every LLM (the sum named `model`). */
export function totalTokenUsage(stats: ConversationStats, model = ''): TokenUsage {
  let total = emptyTokenUsage(model);
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

/**
 * Stats read back from a stored record with one copy of each model name and response id (a call's
 * id appears in two lists): JSON gives every occurrence its own string, about 40% more memory per
 * call. In place; returns `stats`.
 */
export function withSharedStrings(stats: ConversationStats): ConversationStats {
  const strings = new Map<string, string>();
  const shared = (text: string): string => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    strings.set(text, text);
    return text;
  };
  for (const metrics of Object.values(stats.usage_to_metrics)) {
    for (const entry of metrics.costs) entry.model = shared(entry.model);
    for (const entry of metrics.response_latencies) {
      entry.model = shared(entry.model);
      entry.response_id = shared(entry.response_id);
    }
    for (const entry of metrics.token_usages) {
      entry.model = shared(entry.model);
      entry.response_id = shared(entry.response_id);
    }
  }
  return stats;
}
