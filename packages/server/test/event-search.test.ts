import { describe, expect, it } from 'vitest';
import type { Event } from '@troupe/core';
import { countEvents, firstSeqAtOrAfter, searchEvents } from '@troupe/core';
import { EventSearchQuerySchema } from '../src/wire-schemas.js';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();
const message = (id: string, second: number, text: string, source: 'user' | 'agent' = 'user'): Event => ({
  kind: 'MessageEvent',
  id,
  timestamp: at(second),
  source,
  llm_message: { role: source === 'user' ? 'user' : 'assistant', content: [{ type: 'text', text }] },
  activated_skills: [],
  extended_content: [],
});
const pause = (id: string, second: number): Event => ({ kind: 'PauseEvent', id, timestamp: at(second), source: 'user' });
const events: Event[] = [message('a', 0, 'Hello World'), pause('b', 1), message('c', 2, 'bye', 'agent'), pause('d', 3), message('e', 4, 'hello again')];
const query = (input: Record<string, unknown>) => EventSearchQuerySchema.parse(input);

describe('searchEvents', () => {
  it('pages forward with the next page’s first sequence number as an inclusive cursor', () => {
    const first = searchEvents(events, query({ limit: 2 }));
    expect(first.items.map((e) => e.id)).toEqual(['a', 'b']);
    expect(first.next_page_id).toBe('2');
    const second = searchEvents(events, query({ limit: 2, page_id: first.next_page_id }));
    expect(second.items.map((e) => e.id)).toEqual(['c', 'd']);
    expect(searchEvents(events, query({ limit: 2, page_id: second.next_page_id }))).toEqual({ items: [events[4]], next_page_id: null });
  });

  it('pages backward with TIMESTAMP_DESC', () => {
    const first = searchEvents(events, query({ limit: 3, sort_order: 'TIMESTAMP_DESC' }));
    expect(first.items.map((e) => e.id)).toEqual(['e', 'd', 'c']);
    expect(searchEvents(events, query({ limit: 3, sort_order: 'TIMESTAMP_DESC', page_id: first.next_page_id })).items.map((e) => e.id)).toEqual(['b', 'a']);
  });

  it('filters by short kind (or a dotted class path), source, body and a time range', () => {
    expect(searchEvents(events, query({ kind: 'PauseEvent' })).items.map((e) => e.id)).toEqual(['b', 'd']);
    expect(searchEvents(events, query({ kind: 'openhands.sdk.event.llm_convertible.message.MessageEvent' })).items).toHaveLength(3);
    expect(searchEvents(events, query({ source: 'agent' })).items.map((e) => e.id)).toEqual(['c']);
    expect(searchEvents(events, query({ body: 'HELLO' })).items.map((e) => e.id)).toEqual(['a', 'e']);
    expect(searchEvents(events, query({ timestamp__gte: at(1), timestamp__lt: at(3) })).items.map((e) => e.id)).toEqual(['b', 'c']);
    // A naive timestamp is UTC, whatever the server's zone.
    expect(searchEvents(events, query({ timestamp__gte: '2026-01-01T00:00:04' })).items.map((e) => e.id)).toEqual(['e']);
  });

  it('rejects a page_id it did not issue, and gives an empty page at the end of the log', () => {
    expect(() => searchEvents(events, query({ page_id: 'nope' }))).toThrow(/Unknown page_id/);
    expect(() => searchEvents(events, query({ page_id: '6' }))).toThrow(/Unknown page_id/);
    expect(searchEvents(events, query({ page_id: '5' }))).toEqual({ items: [], next_page_id: null });
  });

  it('counts with the same filters and finds where a time starts', () => {
    expect(countEvents(events, { kind: 'MessageEvent', source: 'user' })).toBe(2);
    expect(countEvents(events, {})).toBe(5);
    expect(firstSeqAtOrAfter(events, at(2))).toBe(2);
    expect(firstSeqAtOrAfter(events, at(9))).toBe(5);
  });

  it('leaves state updates out unless the query names their kind or sets include_state (read from a query string)', () => {
    const state = (id: string, second: number): Event => ({ kind: 'ConversationStateUpdateEvent', id, timestamp: at(second), source: 'environment', key: 'execution_status', value: 'running' });
    const log: Event[] = [message('a', 0, 'hi'), state('s1', 1), message('c', 2, 'bye', 'agent'), state('s2', 3)];
    expect(searchEvents(log, query({})).items.map((e) => e.id)).toEqual(['a', 'c']);
    expect(searchEvents(log, query({ limit: 1 }))).toEqual({ items: [log[0]], next_page_id: '2' });
    expect(searchEvents(log, query({ include_state: 'true' })).items.map((e) => e.id)).toEqual(['a', 's1', 'c', 's2']);
    expect(searchEvents(log, query({ include_state: 'false' })).items.map((e) => e.id)).toEqual(['a', 'c']);
    expect(searchEvents(log, query({ kind: 'ConversationStateUpdateEvent' })).items.map((e) => e.id)).toEqual(['s1', 's2']);
    expect(countEvents(log, {})).toBe(2);
    expect(countEvents(log, { include_state: true })).toBe(4);
  });
});
