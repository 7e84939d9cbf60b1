import { formatCost } from '../format';
import type { ConversationInfo } from '../wire';

/** Cost and tokens per usage id (each LLM of the conversation), with the totals. */
export function UsageTable({ info }: { info: ConversationInfo | null }) {
  const usage = Object.entries(info?.stats?.usage_to_metrics ?? {});
  if (usage.length === 0) return null;
  let cost = 0;
  let prompt = 0;
  let completion = 0;
  let cacheRead = 0;
  for (const [, metrics] of usage) {
    cost += metrics.accumulated_cost ?? 0;
    prompt += metrics.accumulated_token_usage?.prompt_tokens ?? 0;
    completion += metrics.accumulated_token_usage?.completion_tokens ?? 0;
    cacheRead += metrics.accumulated_token_usage?.cache_read_tokens ?? 0;
  }
  return (
    <table class="usage" data-testid="usage-table">
      <thead>
        <tr>
          <th>Usage id</th>
          <th>Model</th>
          <th class="num">Prompt tokens</th>
          <th class="num">Completion tokens</th>
          <th class="num">Cache read</th>
          <th class="num">Cost</th>
        </tr>
      </thead>
      <tbody>
        {usage.map(([usageId, metrics]) => (
          <tr key={usageId} data-testid="usage-row">
            <td>{usageId}</td>
            <td>{metrics.model_name}</td>
            <td class="num">{metrics.accumulated_token_usage?.prompt_tokens ?? 0}</td>
            <td class="num">{metrics.accumulated_token_usage?.completion_tokens ?? 0}</td>
            <td class="num">{metrics.accumulated_token_usage?.cache_read_tokens ?? 0}</td>
            <td class="num">{formatCost(metrics.accumulated_cost ?? 0)}</td>
          </tr>
        ))}
      </tbody>
      {usage.length > 1 && (
        <tfoot>
          <tr>
            <td colSpan={2}>Total</td>
            <td class="num">{prompt}</td>
            <td class="num">{completion}</td>
            <td class="num">{cacheRead}</td>
            <td class="num">{formatCost(cost)}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
