import { HttpError } from './http-error.js';
import type { ConversationSearchQuery, ConversationSortOrder } from './wire-schemas.js';

/** What searching needs to know of a conversation; the full info is built only for the page. */
export interface ConversationSummary {
  id: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface SummaryPage {
  items: ConversationSummary[];
  next_page_id: string | null;
}

const sortKey = (order: ConversationSortOrder, summary: ConversationSummary): string =>
  order.startsWith('UPDATED_AT') ? summary.updatedAt : summary.createdAt;

/** Orders by the sort key, then id, so the order is total and a cursor is exact. */
function comparator(order: ConversationSortOrder): (a: ConversationSummary, b: ConversationSummary) => number {
  const sign = order.endsWith('_DESC') ? -1 : 1;
  return (a, b) => sign * (sortKey(order, a).localeCompare(sortKey(order, b)) || a.id.localeCompare(b.id));
}

/**
 * The cursor names the next page's first conversation by sort key and id (inclusive), so paging
 * goes on correctly even when that conversation was deleted in between.
 */
function encodeCursor(order: ConversationSortOrder, summary: ConversationSummary): string {
  return Buffer.from(JSON.stringify([sortKey(order, summary), summary.id])).toString('base64url');
}

function decodeCursor(pageId: string): [string, string] {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(pageId, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && decoded.every((part) => typeof part === 'string')) return decoded as [string, string];
  } catch {
    // Reported below.
  }
  throw new HttpError(422, `Invalid page_id ${JSON.stringify(pageId)}: pass a next_page_id this server returned.`);
}

export function searchConversations(summaries: readonly ConversationSummary[], query: ConversationSearchQuery): SummaryPage {
  const compare = comparator(query.sort_order);
  let sorted = summaries.filter((summary) => query.status === undefined || summary.status === query.status).sort(compare);
  if (query.page_id !== undefined) {
    const [key, id] = decodeCursor(query.page_id);
    const cursor: ConversationSummary = { id, status: '', createdAt: key, updatedAt: key };
    sorted = sorted.filter((summary) => compare(summary, cursor) >= 0);
  }
  const items = sorted.slice(0, query.limit);
  const next = sorted[query.limit];
  return { items, next_page_id: next ? encodeCursor(query.sort_order, next) : null };
}
