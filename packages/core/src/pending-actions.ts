import { type ActionEvent, type Event, isActionResult } from './events.js';

/** Executable actions (valid calls) that have no result yet: no observation, rejection or error. */
export function unmatchedActions(events: readonly Event[]): ActionEvent[] {
  const answered = new Set<string>();
  for (const event of events) if (isActionResult(event)) answered.add(event.tool_call_id);
  return events.filter(
    (event): event is ActionEvent => event.kind === 'ActionEvent' && event.action !== null && !answered.has(event.tool_call_id),
  );
}
