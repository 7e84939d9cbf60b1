import { type ListView, type SortKey } from '../store/list-view';
import { STATUSES } from '../wire';

const SORTS: Array<[SortKey, string]> = [
  ['updated', 'Last activity'],
  ['created', 'Created'],
  ['cost', 'Cost'],
  ['tokens', 'Tokens'],
  ['steps', 'Steps'],
  ['title', 'Title'],
  ['status', 'Status'],
];

interface ListToolbarProps {
  view: ListView;
  onChange(view: ListView): void;
  shown: number;
  total: number;
  counts: Map<string, number>;
}

/** Filter by text and status, and sort the conversation list. */
export function ListToolbar({ view, onChange, shown, total, counts }: ListToolbarProps) {
  return (
    <div class="toolbar">
      <input
        type="search"
        placeholder="Filter by title, id or model"
        aria-label="Filter"
        data-testid="list-filter"
        value={view.text}
        onInput={(event) => onChange({ ...view, text: (event.currentTarget as HTMLInputElement).value })}
      />
      <select aria-label="Status" data-testid="status-filter" value={view.status} onChange={(event) => onChange({ ...view, status: (event.currentTarget as HTMLSelectElement).value as ListView['status'] })}>
        <option value="all">All statuses ({total})</option>
        {STATUSES.map((status) => (
          <option value={status} key={status}>
            {status} ({counts.get(status) ?? 0})
          </option>
        ))}
      </select>
      <select aria-label="Sort by" data-testid="sort-key" value={view.sort} onChange={(event) => onChange({ ...view, sort: (event.currentTarget as HTMLSelectElement).value as SortKey })}>
        {SORTS.map(([key, label]) => (
          <option value={key} key={key}>
            {label}
          </option>
        ))}
      </select>
      <button type="button" aria-label="Sort direction" onClick={() => onChange({ ...view, descending: !view.descending })}>
        {view.descending ? '↓' : '↑'}
      </button>
      <span class="muted" data-testid="list-count">
        {shown} of {total}
      </span>
    </div>
  );
}
