import { textContent } from './content.js';
import type { EventJournal } from './event-journal.js';
import type { RuntimeState } from './runtime-state.js';
import type { RunEnd } from './step-outcome.js';
import { actionErrorNudge, detectStuck, type StuckThresholds, type StuckVerdict } from './stuck-detector.js';

/** Applies a decision that ends the run: the event it leaves in the log, and the status. */
export function applyRunEnd(outcome: RunEnd, journal: EventJournal, state: RuntimeState): void {
  switch (outcome.kind) {
    case 'paused':
      journal.append(outcome.by === 'pause' ? { kind: 'PauseEvent', source: 'user' } : { kind: 'InterruptEvent', source: 'user' });
      state.setStatus('paused');
      return;
    case 'stuck':
      state.fail('Stuck', `${outcome.verdict.pattern}: ${outcome.verdict.detail}`, 'stuck');
      return;
    case 'error':
      state.fail(outcome.code, outcome.detail);
      return;
    case 'finished':
    case 'waiting_for_confirmation':
      state.setStatus(outcome.kind);
      return;
  }
}

/** The stuck detector's verdict on the log; a repeated error first gets a nudge to the model instead (appended to the log). */
export function stuckVerdict(journal: EventJournal, thresholds: StuckThresholds | false): StuckVerdict | null {
  if (!thresholds) return null;
  const events = journal.events;
  const verdict = detectStuck(events, thresholds);
  if (verdict) return verdict;
  const nudge = actionErrorNudge(events, thresholds);
  if (nudge) {
    journal.append({ kind: 'MessageEvent', source: 'environment', llm_message: { role: 'user', content: [textContent(nudge)] }, activated_skills: [], extended_content: [] });
  }
  return null;
}
