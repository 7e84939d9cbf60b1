import type { CondenserConfig } from './condenser-config.js';
import type { LLMConvertibleEvent } from './events.js';
import type { View } from './conversation-view.js';

/**
 * What the condenser forgets, decided from the view alone (pure: no model call, no clock).
 *
 * - `soft`: the view passed `maxSize`; worth condensing, but a step may go on without it.
 * - `hard`: a condensation was asked for (`condense()`, or the prompt was too long for the model):
 *   when the usual rule forgets nothing, the whole view but the system prompt is summarized instead.
 */
export type CondensationRequirement = 'soft' | 'hard';

export type CondensationDecision =
  | { kind: 'none' }
  /** Forget `view[start, end)` and put the summary at `start`. */
  | { kind: 'forget'; requirement: CondensationRequirement; start: number; end: number; forgotten: readonly LLMConvertibleEvent[]; hardReset: boolean }
  /** Condensation is due but nothing can be forgotten without splitting what belongs together. */
  | { kind: 'unavailable'; requirement: CondensationRequirement; reason: string };

/**
 * Where the view may be cut: index i is a cut point when events [0, i) and [i, n) can be separated
 * without splitting an action from its result, or a batch of parallel tool calls (the actions of
 * one model response). `cuts[i]` for i in 0..n.
 */
export function cutPoints(events: readonly LLMConvertibleEvent[]): boolean[] {
  const cuts = new Array<boolean>(events.length + 1).fill(true);
  const pending = new Set<string>();
  events.forEach((event, index) => {
    if (event.kind === 'ActionEvent') pending.add(event.tool_call_id);
    else if (event.kind === 'ObservationEvent' || event.kind === 'UserRejectObservation' || event.kind === 'AgentErrorEvent') pending.delete(event.tool_call_id);
    const next = events[index + 1];
    const sameBatch = event.kind === 'ActionEvent' && next?.kind === 'ActionEvent' && next.llm_response_id === event.llm_response_id;
    if (pending.size > 0 || sameBatch) cuts[index + 1] = false;
  });
  return cuts;
}

function nextCut(cuts: readonly boolean[], from: number): number | undefined {
  for (let index = Math.max(0, from); index < cuts.length; index++) if (cuts[index]) return index;
  return undefined;
}

/** The last cut point at or before `to` (0 is always one). */
function previousCut(cuts: readonly boolean[], to: number): number {
  for (let index = Math.min(to, cuts.length - 1); index > 0; index--) if (cuts[index]) return index;
  return 0;
}

/**
 * Decides a condensation (OpenHands' `LLMSummarizingCondenser` rule): when the view holds more
 * than `maxSize` events, keep the first `keepFirst` and the most recent ones so that about
 * `maxSize / 2` remain with the summary; when a condensation was asked for, halve the view the
 * same way. Cuts move forward to the next cut point, so pairs and batches stay whole (back, when an
 * action waiting for its result leaves none after).
 */
export function decideCondensation(view: View, config: Pick<CondenserConfig, 'maxSize' | 'keepFirst' | 'minimumProgress'>): CondensationDecision {
  const events = view.events;
  const n = events.length;
  const overSize = n > config.maxSize;
  if (!overSize && !view.condensationRequested) return { kind: 'none' };
  const requirement: CondensationRequirement = view.condensationRequested ? 'hard' : 'soft';

  const keepRecent: number[] = [];
  if (view.condensationRequested) keepRecent.push(Math.floor(n / 2) - config.keepFirst - 1);
  if (overSize) keepRecent.push(Math.floor(config.maxSize / 2) - config.keepFirst - 1);
  const recent = Math.max(0, Math.min(...keepRecent));

  const cuts = cutPoints(events);
  const start = nextCut(cuts, config.keepFirst);
  // An action still waiting for its result holds everything after it: then the cut goes before it.
  const end = nextCut(cuts, n - recent) ?? previousCut(cuts, n - recent);
  const forgettable = start !== undefined && end !== undefined && end > start;
  const progress = forgettable && end - start >= n * config.minimumProgress;
  if (forgettable && progress) return { kind: 'forget', requirement, start, end, forgotten: events.slice(start, end), hardReset: false };

  const reason = !forgettable
    ? `no events between the first ${config.keepFirst} and the recent ones can be forgotten without splitting an action from its result`
    : `forgetting ${end! - start!} of ${n} events is less than the minimum progress of ${config.minimumProgress}`;
  if (requirement === 'soft') return { kind: 'unavailable', requirement, reason };
  // A hard requirement: summarize everything but the system prompt.
  const resetStart = events[0]?.kind === 'SystemPromptEvent' ? 1 : 0;
  const resetEnd = previousCut(cuts, n);
  if (resetEnd <= resetStart) return { kind: 'unavailable', requirement, reason: `the view holds nothing to summarize beyond ${resetStart === 1 ? 'the system prompt' : 'unanswered actions'}` };
  return { kind: 'forget', requirement, start: resetStart, end: resetEnd, forgotten: events.slice(resetStart, resetEnd), hardReset: true };
}
