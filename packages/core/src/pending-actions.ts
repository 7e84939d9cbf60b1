import { type ActionEvent, type Event, type EventInit, isActionResult } from './events.js';

/**
 * Executable actions (valid calls) that have no result yet: no observation, rejection or error.
 * `from` skips a prefix known to hold no unanswered action (results always follow their actions).
 */
export function unmatchedActions(events: readonly Event[], from = 0): ActionEvent[] {
  const answered = new Set<string>();
  const actions: ActionEvent[] = [];
  for (let i = from; i < events.length; i++) {
    const event = events[i]!;
    if (isActionResult(event)) answered.add(event.tool_call_id);
    else if (event.kind === 'ActionEvent' && event.action !== null) actions.push(event);
  }
  return actions.filter((action) => !answered.has(action.tool_call_id));
}

/** The result that rejects an action the user did not approve: the model is told `reason` on the next run. */
export function userRejection(action: ActionEvent, reason: string): EventInit {
  return { kind: 'UserRejectObservation', source: 'environment', action_id: action.id, tool_name: action.tool_name, tool_call_id: action.tool_call_id, rejection_reason: reason, rejection_source: 'user' };
}
