import { describe, expect, it } from 'vitest';
import { type ConversationSummary, searchConversations } from '../src/conversation-search.js';
import { ConversationSearchQuerySchema } from '../src/wire-schemas.js';

const summary = (id: string, created: number, updated: number, status = 'idle'): ConversationSummary => ({
  id,
  status,
  createdAt: new Date(created * 1000).toISOString(),
  updatedAt: new Date(updated * 1000).toISOString(),
});
const all = [summary('a', 1, 9), summary('b', 2, 5, 'paused'), summary('c', 3, 7), summary('d', 3, 1)];
const query = (input: Record<string, unknown>) => ConversationSearchQuerySchema.parse(input);

describe('searchConversations', () => {
  it('sorts by creation or update, either way, ties broken by id', () => {
    const ids = (order: string) => searchConversations(all, query({ sort_order: order })).items.map((s) => s.id);
    expect(ids('CREATED_AT')).toEqual(['a', 'b', 'c', 'd']);
    expect(ids('CREATED_AT_DESC')).toEqual(['d', 'c', 'b', 'a']);
    expect(ids('UPDATED_AT')).toEqual(['d', 'b', 'c', 'a']);
    expect(ids('UPDATED_AT_DESC')).toEqual(['a', 'c', 'b', 'd']);
  });

  it('pages with a cursor that survives the deletion of the conversation it names', () => {
    const first = searchConversations(all, query({ sort_order: 'CREATED_AT', limit: 2 }));
    expect(first.items.map((s) => s.id)).toEqual(['a', 'b']);
    const withoutC = all.filter((s) => s.id !== 'c');
    const second = searchConversations(withoutC, query({ sort_order: 'CREATED_AT', limit: 2, page_id: first.next_page_id }));
    expect(second).toEqual({ items: [all[3]], next_page_id: null });
  });

  it('filters by status and rejects a malformed cursor', () => {
    expect(searchConversations(all, query({ status: 'paused' })).items.map((s) => s.id)).toEqual(['b']);
    expect(() => searchConversations(all, query({ page_id: '!!' }))).toThrow(/Invalid page_id/);
  });
});
