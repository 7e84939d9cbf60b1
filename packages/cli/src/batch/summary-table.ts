import { formatDuration, formatUsd, renderTable } from '../shared/table.js';
import type { TaskResult } from './results-file.js';

export interface BatchSummary {
  tasks: number;
  byStatus: Record<string, { count: number; cost: number; tokens: number; iterations: number }>;
  cost: number;
  tokens: number;
  iterations: number;
  /** Summed task durations (the work), not the batch's wall time. */
  taskTimeMs: number;
  failures: { id: string; status: string; error: string | null }[];
}

/** Totals over results (the last result of each id). */
export function summarize(results: Iterable<TaskResult>): BatchSummary {
  const summary: BatchSummary = { tasks: 0, byStatus: {}, cost: 0, tokens: 0, iterations: 0, taskTimeMs: 0, failures: [] };
  for (const result of results) {
    summary.tasks++;
    const row = (summary.byStatus[result.status] ??= { count: 0, cost: 0, tokens: 0, iterations: 0 });
    row.count++;
    row.cost += result.cost;
    row.tokens += result.tokens.total;
    row.iterations += result.iterations;
    summary.cost += result.cost;
    summary.tokens += result.tokens.total;
    summary.iterations += result.iterations;
    summary.taskTimeMs += result.duration_ms;
    if (result.status !== 'finished') summary.failures.push({ id: result.id, status: result.status, error: result.error });
  }
  return summary;
}

const STATUS_ORDER = ['finished', 'error', 'stuck', 'timeout', 'paused', 'waiting_for_confirmation', 'idle', 'skipped'];

/** The end-of-batch table: one row per status, a total row, then up to `maxFailures` failed tasks. */
export function renderSummary(summary: BatchSummary, options: { wallMs?: number; maxFailures?: number; mockPrices?: boolean } = {}): string {
  const statuses = Object.keys(summary.byStatus).sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b));
  const rows = statuses.map((status) => {
    const row = summary.byStatus[status]!;
    return [status, row.count, row.iterations, row.tokens, formatUsd(row.cost)];
  });
  rows.push(['total', summary.tasks, summary.iterations, summary.tokens, formatUsd(summary.cost)]);
  const lines = [renderTable(['status', 'tasks', 'iterations', 'tokens', options.mockPrices ? 'cost (mock prices)' : 'cost'], rows)];
  const time = [`task time ${formatDuration(summary.taskTimeMs)}`];
  if (options.wallMs !== undefined) time.push(`wall ${formatDuration(options.wallMs)}`);
  lines.push(time.join(', '));
  const maxFailures = options.maxFailures ?? 20;
  if (summary.failures.length > 0) {
    lines.push('', `Not finished (${summary.failures.length}):`);
    for (const failure of summary.failures.slice(0, maxFailures)) lines.push(`  ${failure.id}  ${failure.status}  ${failure.error ?? ''}`.trimEnd());
    if (summary.failures.length > maxFailures) lines.push(`  … and ${summary.failures.length - maxFailures} more (see the results file)`);
  }
  return lines.join('\n');
}
