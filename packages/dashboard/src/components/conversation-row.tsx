import { memo } from 'preact/compat';
import { formatAgo, formatCost, formatTokens } from '../format';
import { conversationHref } from '../router';
import type { ConversationSummary } from '../wire';
import { StatusBadge } from './status-badge';

/** One conversation in the list; renders again only when its row object changes (or the clock ticks). */
export const ConversationRow = memo(function ConversationRow({ row, now }: { row: ConversationSummary; now: number }) {
  return (
    <a class="row" href={conversationHref(row.id)} data-testid="conversation-row" data-id={row.id}>
      <span class="cell status-cell">
        <StatusBadge status={row.execution_status} />
      </span>
      <span class="cell title-cell" title={row.id}>
        {row.title ?? <span class="muted">{row.id}</span>}
      </span>
      <span class="cell model-cell">{row.model}</span>
      <span class="cell num">{row.steps}</span>
      <span class="cell num">{formatTokens(row.tokens)}</span>
      <span class="cell num">{formatCost(row.cost)}</span>
      <span class="cell ago-cell">{formatAgo(row.updated_at, now)}</span>
    </a>
  );
});
