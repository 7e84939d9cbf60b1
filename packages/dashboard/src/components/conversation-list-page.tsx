import { useEffect, useMemo, useState } from 'preact/hooks';
import { ConversationListStore } from '../store/conversation-list';
import { applyView, countByStatus, DEFAULT_VIEW, type ListView } from '../store/list-view';
import { BatchPanel } from './batch-panel';
import { ConversationHeaderRow } from './conversation-header-row';
import { ConversationRow } from './conversation-row';
import { ListToolbar } from './list-toolbar';
import { useNow } from './use-now';
import { VirtualList } from './virtual-list';

const ROW_HEIGHT = 38;
/** One list for the page's lifetime: coming back to it shows the last rows at once. */
const store = new ConversationListStore();

/** Every conversation of the server, live, filtered and sorted; only the rows in view are rendered. */
export function ConversationListPage() {
  const [view, setView] = useState<ListView>(DEFAULT_VIEW);
  const now = useNow();
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, []);
  const rows = store.items.value;
  const shown = useMemo(() => applyView(rows, view), [rows, view]);
  const counts = useMemo(() => countByStatus(rows), [rows]);
  return (
    <section class="list-page">
      <BatchPanel />
      <ListToolbar view={view} onChange={setView} shown={shown.length} total={rows.length} counts={counts} />
      {store.problem.value && <p class="error">{store.problem.value}</p>}
      <div class="table" data-testid="conversation-list">
        <ConversationHeaderRow />
        {store.loaded.value && rows.length === 0 ? (
          <p class="empty">
            No conversations yet. <a href="#/new">Start one</a>, or create them through the API.
          </p>
        ) : (
          <VirtualList items={shown} rowHeight={ROW_HEIGHT} keyOf={(row) => row.id} renderRow={(row) => <ConversationRow row={row} now={now} />} />
        )}
      </div>
    </section>
  );
}
