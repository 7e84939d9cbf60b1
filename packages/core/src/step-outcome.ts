import type { StuckVerdict } from './stuck-detector.js';

/** What one step did: the model (or the pending actions) left the turn open, ended it, or stopped for the user. */
export type StepResult = 'acted' | 'finished' | 'waiting_for_confirmation';

/** What the loop does after a step boundary. */
export type StepOutcome =
  | { kind: 'run_again' }
  | { kind: 'finished' }
  | { kind: 'waiting_for_confirmation' }
  | { kind: 'paused'; by: 'pause' | 'interrupt' }
  | { kind: 'stuck'; verdict: StuckVerdict }
  | { kind: 'error'; code: string; detail: string };

/** An outcome that ends the run. */
export type RunEnd = Exclude<StepOutcome, { kind: 'run_again' }>;

export interface RunLimits {
  maxIterations: number;
  /** USD; undefined = no budget. */
  maxCost: number | undefined;
}

/** The conversation has spent its whole cost budget. */
export function budgetExhausted(spent: number, maxCost: number | undefined): boolean {
  return maxCost !== undefined && spent >= maxCost;
}

/** The run has taken as many steps as one run may. */
export function iterationsExhausted(iteration: number, maxIterations: number): boolean {
  return iteration >= maxIterations;
}

/** At the top of a step: stop for a pause asked for meanwhile, or for a stuck pattern; null = take the step. */
export function decideBeforeStep(input: { pauseRequested: boolean; stuck: StuckVerdict | null }): RunEnd | null {
  if (input.pauseRequested) return { kind: 'paused', by: 'pause' };
  if (input.stuck) return { kind: 'stuck', verdict: input.stuck };
  return null;
}

/**
 * After a step: stop for the user, end the turn, or run again within the limits. A turn the model
 * ended while messages came in is not over: those messages (already admitted) are answered; nor is
 * one a Stop hook refused to end.
 */
export function decideAfterStep(input: {
  step: StepResult;
  /** Messages admitted after the step ended the turn. */
  admittedAfterFinish: number;
  /** A Stop hook refused the end of the turn (its feedback is in the log). */
  stopBlocked?: boolean;
  iteration: number;
  spent: number;
  limits: RunLimits;
}): StepOutcome {
  const { step, limits } = input;
  if (step === 'waiting_for_confirmation') return { kind: 'waiting_for_confirmation' };
  if (step === 'finished' && input.admittedAfterFinish === 0 && !input.stopBlocked) return { kind: 'finished' };
  if (budgetExhausted(input.spent, limits.maxCost)) {
    return { kind: 'error', code: 'MaxBudgetReached', detail: `The conversation reached its cost budget of $${limits.maxCost} (spent $${input.spent.toFixed(4)}).` };
  }
  if (iterationsExhausted(input.iteration, limits.maxIterations)) {
    return { kind: 'error', code: 'MaxIterationsReached', detail: `The run reached its limit of ${limits.maxIterations} iterations; call run() to continue.` };
  }
  return { kind: 'run_again' };
}
