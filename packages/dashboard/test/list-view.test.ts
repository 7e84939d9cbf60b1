import { describe, expect, it } from 'vitest';
import { applyView, countByStatus, DEFAULT_VIEW } from '../src/store/list-view';
import type { ConversationSummary } from '../src/wire';

const row = (id: string, fields: Partial<ConversationSummary> = {}): ConversationSummary => ({
  id,
  title: null,
  execution_status: 'idle',
  model: 'openai/mock',
  steps: 0,
  tokens: 0,
  cost: 0,
  event_count: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...fields,
});

const rows = [
  row('a', { title: 'Fix the parser', execution_status: 'running', cost: 0.5, updated_at: '2026-01-01T00:00:03Z' }),
  row('b', { title: 'Write docs', execution_status: 'finished', cost: 2, model: 'anthropic/claude', updated_at: '2026-01-01T00:00:01Z' }),
  row('c', { execution_status: 'finished', cost: 2, updated_at: '2026-01-01T00:00:02Z' }),
];

describe('the list view', () => {
  it('sorts by last activity, newest first, by default', () => {
    expect(applyView(rows, DEFAULT_VIEW).map((r) => r.id)).toEqual(['a', 'c', 'b']);
  });

  it('filters by text (title, id, model) and status; ties sort by id', () => {
    expect(applyView(rows, { ...DEFAULT_VIEW, text: 'PARSER' }).map((r) => r.id)).toEqual(['a']);
    expect(applyView(rows, { ...DEFAULT_VIEW, text: 'claude' }).map((r) => r.id)).toEqual(['b']);
    expect(applyView(rows, { ...DEFAULT_VIEW, status: 'finished', sort: 'cost' }).map((r) => r.id)).toEqual(['b', 'c']);
    expect(applyView(rows, { ...DEFAULT_VIEW, sort: 'cost', descending: false }).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(applyView(rows, { ...DEFAULT_VIEW, sort: 'title', descending: false }).map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });

  it('counts rows by status', () => {
    expect(Object.fromEntries(countByStatus(rows))).toEqual({ running: 1, finished: 2 });
  });
});
