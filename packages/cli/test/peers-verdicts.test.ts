import type { MockUsageReport, MockUsageTotals } from '@troupe/core/testing';
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../src/bench/harness.js';
import { judgeGoals } from '../src/bench/performance-goals.js';
import { summarizePeers } from '../src/bench/peers/peer-summary.js';
import type { PeerResult, PeerRunnerName } from '../src/bench/peers/peer-task.js';
import { peerRunProblems } from '../src/bench/peers/verify-peer-run.js';

const totals = (requests: number): MockUsageTotals => ({ requests, inputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, outputTokens: 0, promptTokens: 0 });
const usage = (perConversation: Record<string, number>, total: number): MockUsageReport => ({
  total: totals(total),
  conversations: Object.fromEntries(Object.entries(perConversation).map(([id, requests]) => [id, totals(requests)])),
});
const result = (fields: Partial<PeerResult> = {}): PeerResult => ({
  wallMs: 1_000,
  cpuUs: 2_200_000,
  peakRssBytes: 100 * 2 ** 20,
  conversations: 2,
  finished: 2,
  modelCalls: { min: 11, max: 11, total: 22 },
  conversationIds: ['a', 'b'],
  ...fields,
});
const expected = { conversations: 2, warmupConversations: 1, modelCallsPerConversation: 11 };

describe('peerRunProblems', () => {
  it('passes a run where every conversation made every call, warm-up included', () => {
    expect(peerRunProblems(result(), usage({ a: 11, b: 11, w: 11 }, 33), expected)).toEqual([]);
  });

  it('finds unfinished conversations, short counts, and calls the mock did not answer', () => {
    const problems = peerRunProblems(result({ finished: 1, modelCalls: { min: 3, max: 11, total: 14 } }), usage({ a: 11, b: 3 }, 25), expected);
    expect(problems).toEqual([
      '1 of 2 conversations did not call finish',
      'counted 3..11 model calls per conversation, expected 11',
      'the mock answered 25 model requests, expected 33',
      '1 conversations did not make 11 model requests at the mock (b: 3)',
    ]);
  });

  it('a runner that sends no ids is judged by its own counts and the mock total', () => {
    expect(peerRunProblems(result({ conversationIds: [] }), usage({}, 33), expected)).toEqual([]);
    expect(peerRunProblems(result({ conversationIds: [], conversations: 1, finished: 1 }), usage({}, 22), expected)).toEqual([
      'ran 1 conversations, expected 2',
      'the mock answered 22 model requests, expected 33',
    ]);
  });
});

const LABELS: Record<PeerRunnerName, string> = { troupe: 'T', 'openai-loop': 'L', 'openai-loop-threads': 'L2', 'ai-sdk': 'AI', 'openai-agents': 'AG' };

describe('summarizePeers', () => {
  it('takes medians per runner and divides by the loop and the AI SDK', () => {
    const walls = (...ms: number[]) => ms.map((wallMs) => result({ wallMs }));
    const { rows, figures } = summarizePeers(
      [{ workload: 'large', n: 2, modelCallsPerConversation: 11, idealMs: 500, runs: { troupe: walls(900, 800, 5_000), 'openai-loop': walls(1_000, 1_000, 1_000), 'ai-sdk': walls(2_000, 2_000, 2_000) } }],
      LABELS,
    );
    expect(rows[0]).toEqual({ workload: 'large', n: 2, runner: 'T', runs: 3, wall_ms: 900, wall_over_ideal: 1.8, vs_loop: 0.9, vs_ai_sdk: 0.45, cpu_ms_per_call: 100, peak_rss_mb: 100 });
    expect(figures).toMatchObject({ large_n: 2, troupe_vs_openai_loop_large: 0.9, troupe_vs_ai_sdk_large: 0.45, troupe_cpu_ms_per_call_large: 100, loop_cpu_ms_per_call_large: 100 });
  });
});

describe('judgeGoals', () => {
  const peers: ScenarioResult = {
    name: 'peers',
    description: '',
    params: {},
    rows: [],
    notes: [],
    figures: { troupe_vs_openai_loop_large: 0.65, troupe_vs_ai_sdk_large: 0.6, troupe_vs_openai_loop_small: 1, troupe_cpu_ms_per_call_large: 1.2, loop_cpu_ms_per_call_large: 1.3, troupe_peak_rss_mb_large: 500 },
  };

  it('judges each goal on its figure, against a fixed limit or another figure of the run', () => {
    const verdicts = judgeGoals({ peers }, false);
    const byGoal = Object.fromEntries(verdicts.map((verdict) => [verdict.goal, verdict]));
    expect(byGoal['N=1,000 × K=10: wall ≤ 0.7× the single-thread openai loop']).toMatchObject({ met: true, measured: '0.65× (limit 0.7×)' });
    expect(byGoal['N=1,000 × K=10: wall ≤ 0.5× the AI SDK']!.met).toBe(false);
    expect(byGoal['N=100 × K=10: wall ≤ 1.0× the single-thread openai loop']!.met).toBe(true);
    expect(byGoal["N=1,000: CPU per model call ≤ the openai loop's"]).toMatchObject({ met: true, measured: '1.2 ms (limit 1.3 ms)' });
    expect(byGoal['N=1,000: peak RSS ≤ 450 MB']!.met).toBe(false);
    expect(byGoal['tools burning 5 ms of CPU, N=100: wall/ideal ≤ 1.5']).toMatchObject({ met: null, measured: expect.stringContaining('missing') });
    expect(byGoal['interrupt() p99 under saturation ≤ 20 ms']).toMatchObject({ met: null, measured: expect.stringContaining('--scenario control') });
  });

  it('does not judge --quick sizes or a failed scenario', () => {
    expect(judgeGoals({ peers }, true).filter((verdict) => verdict.scenario === 'peers').every((verdict) => verdict.met === null)).toBe(true);
    expect(judgeGoals({ peers: { name: 'peers', error: 'boom' } }, false)[0]).toMatchObject({ met: null, measured: 'the peers scenario failed' });
  });
});
