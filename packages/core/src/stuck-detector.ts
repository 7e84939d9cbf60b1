import { z } from 'zod';
import { contentText } from './content.js';
import { type ActionEvent, type ActionResultEvent, type Event, isActionResult, type StuckPattern } from './events.js';

export const StuckThresholdsSchema = z.object({
  actionObservation: z.number().int().min(1).default(4),
  actionError: z.number().int().min(1).default(3),
  monologue: z.number().int().min(1).default(3),
  alternatingPattern: z.number().int().min(1).default(6),
});
export type StuckThresholds = z.output<typeof StuckThresholdsSchema>;

/** `true` = default thresholds, `false` = off. */
export const StuckDetectionSchema = z.union([z.boolean(), StuckThresholdsSchema.partial()]);
export type StuckDetectionInput = z.input<typeof StuckDetectionSchema>;

export function normalizeStuckDetection(input: StuckDetectionInput = true): StuckThresholds | false {
  if (input === false) return false;
  return StuckThresholdsSchema.parse(input === true ? {} : input);
}

export interface StuckVerdict {
  pattern: StuckPattern;
  detail: string;
}

const WINDOW = 20;

const isUserMessage = (event: Event): boolean => event.kind === 'MessageEvent' && event.source === 'user';
const isEnvironmentMessage = (event: Event): boolean => event.kind === 'MessageEvent' && event.source === 'environment';

/** Keys of events already seen: the detector looks at the same tail on every step. */
const keys = new WeakMap<Event, string>();

function memoKey<E extends Event>(event: E, compute: (event: E) => string): string {
  let key = keys.get(event);
  if (key === undefined) {
    key = compute(event);
    keys.set(event, key);
  }
  return key;
}

/** Equality of actions ignoring ids: same tool, same arguments, same thought. */
function actionKey(action: ActionEvent): string {
  return memoKey(action, (a) => JSON.stringify([a.tool_name, contentText(a.thought), a.action ?? a.tool_call.arguments]));
}

function resultKey(result: ActionResultEvent): string {
  return memoKey(result, computeResultKey);
}

function computeResultKey(result: ActionResultEvent): string {
  switch (result.kind) {
    case 'ObservationEvent':
      return JSON.stringify(['obs', result.tool_name, result.observation.is_error, contentText(result.observation.content)]);
    case 'AgentErrorEvent':
      return JSON.stringify(['err', result.error]);
    case 'UserRejectObservation':
      return JSON.stringify(['rej', result.rejection_reason]);
  }
}

function allEqual(keys: readonly string[]): boolean {
  return keys.every((key) => key === keys[0]);
}

/**
 * The events the detector looks at: the last 20 since the last user message, without live-only
 * kinds. Read from the end, so a step costs the window, not the whole turn.
 */
function window(events: readonly Event[]): Event[] {
  const recent: Event[] = [];
  for (let i = events.length - 1; i >= 0 && recent.length < WINDOW; i--) {
    const event = events[i]!;
    if (isUserMessage(event)) break;
    if (event.kind === 'ActionEvent' || isActionResult(event) || event.kind === 'MessageEvent') recent.push(event);
  }
  return recent.reverse();
}

/**
 * The trailing run of (same action, agent error) pairs; environment nudges in between are skipped
 * so that a nudge does not reset the count.
 */
function actionErrorStreak(events: readonly Event[]): { count: number; action?: ActionEvent; lastErrorId?: string } {
  const tail = events.filter((e) => !isEnvironmentMessage(e));
  let count = 0;
  let key: string | undefined;
  let action: ActionEvent | undefined;
  let lastErrorId: string | undefined;
  for (let i = tail.length - 1; i >= 1; i -= 2) {
    const error = tail[i]!;
    const candidate = tail[i - 1]!;
    if (error.kind !== 'AgentErrorEvent' || candidate.kind !== 'ActionEvent') break;
    const candidateKey = actionKey(candidate);
    if (key !== undefined && candidateKey !== key) break;
    key = candidateKey;
    action ??= candidate;
    lastErrorId ??= error.id;
    count++;
  }
  return { count, ...(action ? { action } : {}), ...(lastErrorId ? { lastErrorId } : {}) };
}

/** Decides whether the agent is stuck, and which pattern fired. Pure: the caller acts on it. */
export function detectStuck(events: readonly Event[], thresholds: StuckThresholds): StuckVerdict | null {
  const recent = window(events);
  if (recent.length < Math.min(thresholds.actionObservation, thresholds.actionError, thresholds.monologue)) return null;
  const actions = recent.filter((e): e is ActionEvent => e.kind === 'ActionEvent');
  const results = recent.filter(isActionResult);

  const n = thresholds.actionObservation;
  if (actions.length >= n && results.length >= n) {
    const lastActions = actions.slice(-n).map(actionKey);
    const lastResults = results.slice(-n).map(resultKey);
    if (allEqual(lastActions) && allEqual(lastResults) && results.at(-1)!.kind === 'ObservationEvent') {
      return { pattern: 'repeating_action_observation', detail: `The same action and observation repeated ${n} times.` };
    }
  }

  const streak = actionErrorStreak(recent);
  if (streak.count > thresholds.actionError) {
    return { pattern: 'repeating_action_error', detail: `The same action failed ${streak.count} times in a row (${streak.action?.tool_name}).` };
  }

  let monologue = 0;
  for (let i = recent.length - 1; i >= 0; i--) {
    const event = recent[i]!;
    if (isEnvironmentMessage(event)) continue;
    if (event.kind === 'MessageEvent' && event.source === 'agent') monologue++;
    else break;
  }
  if (monologue >= thresholds.monologue) {
    return { pattern: 'monologue', detail: `The agent sent ${monologue} messages in a row without acting.` };
  }

  const m = thresholds.alternatingPattern;
  if (actions.length >= m && results.length >= m) {
    const a = actions.slice(-m).map(actionKey);
    const o = results.slice(-m).map(resultKey);
    let alternating = a[0] !== a[1];
    for (let i = 0; alternating && i + 2 < m; i++) alternating = a[i] === a[i + 2] && o[i] === o[i + 2];
    if (alternating) return { pattern: 'alternating_action_observation', detail: `The agent alternated between two actions for ${m} steps.` };
  }
  return null;
}

/**
 * The nudge the model gets when the same call failed exactly `actionError` times in a row, once per
 * streak: a chance to change course before the stuck detector stops the run.
 */
export function actionErrorNudge(events: readonly Event[], thresholds: StuckThresholds): string | null {
  const recent = window(events);
  const streak = actionErrorStreak(recent);
  if (streak.count !== thresholds.actionError || !streak.action || !streak.lastErrorId) return null;
  const errorIndex = recent.findIndex((e) => e.id === streak.lastErrorId);
  if (recent.slice(errorIndex + 1).some(isEnvironmentMessage)) return null;
  return `You've called \`${streak.action.tool_name}\` with the same arguments ${streak.count} times in a row and it failed each time. Try a different approach.`;
}

