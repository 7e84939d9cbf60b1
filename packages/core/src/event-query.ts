import { z } from 'zod';
import { contentText } from './content.js';
import { EventQueryError } from './errors.js';
import type { Event } from './events.js';

/** Offsets are optional: a naive timestamp is read as UTC, never as server local time. */
const TimestampFilterSchema = z.iso.datetime({ offset: true, local: true });

/**
 * Which events a search or count takes (OpenHands' query names). Every field is optional; all must
 * match. State updates (`ConversationStateUpdateEvent`) are in the log, but, as OpenHands only
 * broadcasts them, a search leaves them out unless it names their kind or sets `include_state`.
 */
export const EventFilterSchema = z.object({
  /** The event's `kind` (`MessageEvent`); a dotted (Python) class path is matched by its last part. */
  kind: z.string().max(256).optional(),
  source: z.string().max(256).optional(),
  /** Case-insensitive text of a MessageEvent (its content, extended content and reasoning). */
  body: z.string().max(256).optional(),
  timestamp__gte: TimestampFilterSchema.optional(),
  timestamp__lt: TimestampFilterSchema.optional(),
  /** Troupe's: take state updates too (the whole log, by sequence number, as a mirror of it needs). */
  include_state: z.boolean().optional(),
});
export type EventFilter = z.output<typeof EventFilterSchema>;

export const EventSortOrderSchema = z.enum(['TIMESTAMP', 'TIMESTAMP_DESC']);

export const EventSearchSchema = EventFilterSchema.extend({
  /** An event's sequence number, as given in `next_page_id` (inclusive). */
  page_id: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(100),
  sort_order: EventSortOrderSchema.default('TIMESTAMP'),
});
export type EventSearch = z.output<typeof EventSearchSchema>;

export interface EventPage {
  items: Event[];
  next_page_id: string | null;
}

/** A timestamp filter as epoch milliseconds; one without an offset is UTC. */
function epochOf(timestamp: string): number {
  return Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(timestamp) ? timestamp : `${timestamp}Z`);
}

/** The filter as a predicate. */
export function eventMatcher(filter: EventFilter): (event: Event) => boolean {
  const kind = filter.kind?.split('.').at(-1);
  const body = filter.body?.toLowerCase();
  const from = filter.timestamp__gte === undefined ? undefined : epochOf(filter.timestamp__gte);
  const until = filter.timestamp__lt === undefined ? undefined : epochOf(filter.timestamp__lt);
  const withState = filter.include_state === true || kind === 'ConversationStateUpdateEvent';
  return (event) => {
    if (kind !== undefined && event.kind !== kind) return false;
    if (event.kind === 'ConversationStateUpdateEvent' && !withState) return false;
    if (filter.source !== undefined && event.source !== filter.source) return false;
    if (from !== undefined || until !== undefined) {
      const time = Date.parse(event.timestamp);
      if (from !== undefined && time < from) return false;
      if (until !== undefined && time >= until) return false;
    }
    if (body !== undefined) {
      if (event.kind !== 'MessageEvent') return false;
      const text = `${contentText(event.llm_message.content)}\n${contentText(event.extended_content)}\n${event.llm_message.reasoning_content ?? ''}`;
      if (!text.toLowerCase().includes(body)) return false;
    }
    return true;
  };
}

/** A page cursor is an event's sequence number (its index in the log), inclusive; the log's length gives an empty page. */
function cursorOf(pageId: string | undefined, eventCount: number): number | undefined {
  if (pageId === undefined) return undefined;
  const seq = /^\d+$/.test(pageId) ? Number(pageId) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq > eventCount) {
    throw new EventQueryError(`Unknown page_id ${JSON.stringify(pageId)}: pass a next_page_id this server returned.`);
  }
  return seq;
}

/**
 * One page of the events matching the query, by sequence number. Scanning stops after `limit`
 * matches plus one (the next page's first), so a page costs O(limit + skipped events).
 */
export function searchEvents(events: readonly Event[], query: EventSearch): EventPage {
  const matches = eventMatcher(query);
  const descending = query.sort_order === 'TIMESTAMP_DESC';
  const start = cursorOf(query.page_id, events.length) ?? (descending ? events.length - 1 : 0);
  const step = descending ? -1 : 1;
  const items: Event[] = [];
  for (let seq = start; seq >= 0 && seq < events.length; seq += step) {
    const event = events[seq]!;
    if (!matches(event)) continue;
    if (items.length === query.limit) return { items, next_page_id: String(seq) };
    items.push(event);
  }
  return { items, next_page_id: null };
}

export function countEvents(events: readonly Event[], filter: EventFilter): number {
  const matches = eventMatcher(filter);
  let count = 0;
  for (const event of events) if (matches(event)) count++;
  return count;
}

/** The sequence number of the first event at or after a time (the log's length when there is none). */
export function firstSeqAtOrAfter(events: readonly Event[], timestamp: string): number {
  const from = epochOf(timestamp);
  const index = events.findIndex((event) => Date.parse(event.timestamp) >= from);
  return index === -1 ? events.length : index;
}
