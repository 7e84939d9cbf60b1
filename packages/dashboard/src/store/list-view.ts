import type { ConversationSummary, ExecutionStatus } from '../wire';

export type SortKey = 'updated' | 'created' | 'cost' | 'tokens' | 'steps' | 'title' | 'status';

export interface ListView {
  /** Matches the title, id or model, case-insensitively. */
  text: string;
  status: ExecutionStatus | 'all';
  sort: SortKey;
  descending: boolean;
}

export const DEFAULT_VIEW: ListView = { text: '', status: 'all', sort: 'updated', descending: true };

const value = (row: ConversationSummary, key: SortKey): string | number => {
  switch (key) {
    case 'updated':
      return row.updated_at;
    case 'created':
      return row.created_at;
    case 'title':
      return (row.title ?? '').toLowerCase();
    case 'status':
      return row.execution_status;
    default:
      return row[key];
  }
};

/** The rows a view shows, in its order (ties by id, so the order is stable between polls). */
export function applyView(rows: readonly ConversationSummary[], view: ListView): ConversationSummary[] {
  const text = view.text.trim().toLowerCase();
  const shown = rows.filter(
    (row) =>
      (view.status === 'all' || row.execution_status === view.status) &&
      (text === '' || row.id.toLowerCase().includes(text) || (row.title ?? '').toLowerCase().includes(text) || row.model.toLowerCase().includes(text)),
  );
  const sign = view.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const x = value(a, view.sort);
    const y = value(b, view.sort);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || a.id.localeCompare(b.id);
  });
}

/** How many rows have each status. */
export function countByStatus(rows: readonly ConversationSummary[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.execution_status, (counts.get(row.execution_status) ?? 0) + 1);
  return counts;
}
