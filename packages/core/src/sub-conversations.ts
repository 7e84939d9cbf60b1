import { createHash } from 'node:crypto';
import type { ConversationStats, Metrics } from './metrics.js';
import { emptyTokenUsage, totalCost, totalTokenUsage } from './metrics.js';

/**
 * The id of a parent's `index`-th sub-conversation (a UUID, as OpenHands' wire wants): derived
 * from the parent's id, the index in its `subConversationIds` and the sub-agent's name, so that it
 * is known before the child exists (the parent records it first) and never taken twice by one parent.
 */
export function subConversationId(parentId: string, index: number, name: string): string {
  const hex = createHash('sha256').update(`${parentId}\n${index}\n${name}`).digest('hex');
  // RFC 4122 layout: version 5-style (name-based), variant 10xx.
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The usage id under which a sub-agent's costs appear in its parent's stats (OpenHands' name). */
export function delegateUsageId(name: string): string {
  return `delegate:${name}`;
}

/** All of a conversation's metrics as one (every usage id summed; per-call lists joined): what a parent shows of a sub-agent. */
export function combinedMetrics(stats: ConversationStats): Metrics {
  const all = Object.values(stats.usage_to_metrics);
  const model = all[0]?.model_name ?? '';
  return {
    model_name: model,
    accumulated_cost: totalCost(stats),
    max_budget_per_task: null,
    accumulated_token_usage: { ...emptyTokenUsage(model), ...totalTokenUsage(stats), model },
    costs: all.flatMap((metrics) => metrics.costs),
    response_latencies: all.flatMap((metrics) => metrics.response_latencies),
    token_usages: all.flatMap((metrics) => metrics.token_usages),
  };
}
