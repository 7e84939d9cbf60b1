import { describe, expect, it } from 'vitest';
import { budgetExhausted, decideAfterStep, decideBeforeStep, iterationsExhausted, persistPolicy } from '../src/index.js';

const limits = { maxIterations: 3, maxCost: 1 };
const after = (fields: Partial<Parameters<typeof decideAfterStep>[0]>) =>
  decideAfterStep({ step: 'acted', admittedAfterFinish: 0, iteration: 1, spent: 0, limits, ...fields });

describe('the step as a value (pure deciders)', () => {
  it('limits are predicates', () => {
    expect(budgetExhausted(1, 1)).toBe(true);
    expect(budgetExhausted(0.99, 1)).toBe(false);
    expect(budgetExhausted(100, undefined)).toBe(false);
    expect(iterationsExhausted(3, 3)).toBe(true);
    expect(iterationsExhausted(2, 3)).toBe(false);
  });

  it('before a step: a pause asked for wins over a stuck verdict; nothing stops an ordinary step', () => {
    const stuck = { pattern: 'monologue' as const, detail: 'talks to itself' };
    expect(decideBeforeStep({ pauseRequested: true, stuck })).toEqual({ kind: 'paused', by: 'pause' });
    expect(decideBeforeStep({ pauseRequested: false, stuck })).toEqual({ kind: 'stuck', verdict: stuck });
    expect(decideBeforeStep({ pauseRequested: false, stuck: null })).toBeNull();
  });

  it('after a step: confirmation and a finished turn stop the run; a turn finished while messages came in goes on', () => {
    expect(after({ step: 'waiting_for_confirmation' })).toEqual({ kind: 'waiting_for_confirmation' });
    expect(after({ step: 'finished' })).toEqual({ kind: 'finished' });
    expect(after({ step: 'finished', admittedAfterFinish: 2 })).toEqual({ kind: 'run_again' });
    expect(after({ step: 'acted' })).toEqual({ kind: 'run_again' });
  });

  it('after a step: the budget, then the iteration limit, end the run with an error naming it', () => {
    expect(after({ spent: 1.5 })).toMatchObject({ kind: 'error', code: 'MaxBudgetReached', detail: expect.stringContaining('$1') });
    expect(after({ iteration: 3 })).toMatchObject({ kind: 'error', code: 'MaxIterationsReached', detail: expect.stringContaining('3 iterations') });
    expect(after({ iteration: 3, spent: 2 })).toMatchObject({ code: 'MaxBudgetReached' });
    // A finished turn is not cut by the limits.
    expect(after({ step: 'finished', iteration: 3, spent: 2 })).toEqual({ kind: 'finished' });
  });

  it('durability: what is written and synced at each persist point', () => {
    expect(persistPolicy('step', 'ack')).toEqual({ write: true, sync: true });
    expect(persistPolicy('step', 'event')).toEqual({ write: false, sync: false });
    expect(persistPolicy('event', 'event')).toEqual({ write: true, sync: true });
    expect(persistPolicy('none', 'side_effect')).toEqual({ write: true, sync: false });
  });
});
