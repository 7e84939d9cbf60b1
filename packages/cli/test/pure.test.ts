import { describe, expect, it } from 'vitest';
import { BatchBudget, parseDuration } from '../src/batch/budget.js';
import { estimateRemainingMs } from '../src/batch/progress.js';
import { isSettled, type TaskResult } from '../src/batch/results-file.js';
import { renderSummary, summarize } from '../src/batch/summary-table.js';
import { parseTaskFile } from '../src/batch/task-file.js';
import { percentile, summarizeSamples } from '../src/bench/measure.js';

const result = (id: string, status: TaskResult['status'], cost = 0.01): TaskResult => ({
  id,
  status,
  final_message: null,
  iterations: 2,
  tokens: { prompt: 10, completion: 5, cache_read: 0, total: 15 },
  cost,
  duration_ms: 100,
  error: status === 'finished' ? null : 'boom',
  events_path: null,
  model: 'm',
  resumed: false,
  started_at: null,
  ended_at: '2026-01-01T00:00:00Z',
});

describe('task file', () => {
  it('keeps good lines, reports bad ones with their line numbers', () => {
    const text = [
      '{"id":"a","prompt":"one"}',
      '',
      '# a comment',
      '{"id":"b","prompt":"two","model":"openai/gpt-4o","maxIterations":5,"metadata":{"k":1},"workspace":"/tmp/w"}',
      'not json',
      '{"id":"c"}',
      '{"id":"a","prompt":"dup"}',
      '{"id":"../x","prompt":"bad id"}',
      '{"id":7,"prompt":"numeric id"}',
      '{"id":"d","prompt":"x","extra":true}',
    ].join('\n');
    const parsed = parseTaskFile(text);
    expect(parsed.tasks.map((task) => task.id)).toEqual(['a', 'b', '7']);
    expect(parsed.tasks[1]).toMatchObject({ model: 'openai/gpt-4o', maxIterations: 5, metadata: { k: 1 } });
    expect(parsed.invalid.map((bad) => bad.line)).toEqual([5, 6, 7, 8, 10]);
    expect(parsed.invalid[1]!.message).toMatch(/prompt/);
    expect(parsed.invalid[2]!.message).toMatch(/duplicate id "a" \(first on line 1\)/);
    expect(parsed.lines.get('b')).toBe(4);
  });
});

describe('budget and durations', () => {
  it('counts settled and running cost and stops at the limit', () => {
    const budget = new BatchBudget(1, 0.25);
    let live = 0.5;
    budget.track('x', () => live);
    expect(budget.spent).toBe(0.75);
    expect(budget.exhausted).toBe(false);
    live = 0.75;
    expect(budget.exhausted).toBe(true);
    budget.settle('x', 0.7);
    expect(budget.spent).toBeCloseTo(0.95);
    expect(new BatchBudget(undefined, 100).exhausted).toBe(false);
  });

  it('parses durations', () => {
    expect(parseDuration('90')).toBe(90_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(() => parseDuration('soon')).toThrow(/Invalid duration/);
  });

  it('estimates the remaining time from the pace so far', () => {
    const counts = { total: 10, running: 2, finished: 3, failed: 1, skipped: 2, cost: 0 };
    expect(estimateRemainingMs(counts, 4000)).toBe(4000);
    expect(estimateRemainingMs({ ...counts, finished: 0, failed: 0 }, 4000)).toBeUndefined();
  });
});

describe('results and summary', () => {
  it('resume settles finished tasks, and failed ones unless retrying', () => {
    expect(isSettled(result('a', 'finished'), false)).toBe(true);
    expect(isSettled(result('a', 'error'), false)).toBe(true);
    expect(isSettled(result('a', 'error'), true)).toBe(false);
    expect(isSettled(result('a', 'skipped'), false)).toBe(false);
  });

  it('totals by status', () => {
    const summary = summarize([result('a', 'finished', 0.5), result('b', 'finished', 0.25), result('c', 'error', 0.125)]);
    expect(summary.tasks).toBe(3);
    expect(summary.byStatus.finished).toEqual({ count: 2, cost: 0.75, tokens: 30, iterations: 4 });
    expect(summary.cost).toBe(0.875);
    expect(summary.failures).toEqual([{ id: 'c', status: 'error', error: 'boom' }]);
    const text = renderSummary(summary, { wallMs: 1500 });
    expect(text).toMatch(/finished\s+2/);
    expect(text).toMatch(/total\s+3/);
    expect(text).toContain('c  error  boom');
  });
});

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([], 50)).toBeNaN();
    expect(summarizeSamples([1, 2, 3])).toMatchObject({ n: 3, p50: 2, max: 3, mean: 2 });
  });
});
