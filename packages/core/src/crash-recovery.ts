import type { ConversationStatus } from './conversation-status.js';
import type { Event, EventInit } from './events.js';
import { unmatchedActions } from './pending-actions.js';

export const RECOVERED_AFTER_UNCLEAN_STOP = 'RecoveredAfterUncleanStop';

export const RECOVERED_TOOL_ERROR =
  'Tool call interrupted: the process running this conversation stopped before the tool finished. It was not run again; check its effects before retrying.';

/** The newest status the log records (the log is written before `state.json`, so it wins). */
export function lastStatusIn(events: readonly Event[]): ConversationStatus | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.kind === 'ConversationStateUpdateEvent' && event.key === 'execution_status') return event.value as ConversationStatus;
  }
  return undefined;
}

export interface Recovery {
  /** Events to append, in order. */
  events: EventInit[];
  /** The status to set, when it changes. */
  status?: ConversationStatus;
}

/**
 * What makes a conversation loaded from disk consistent after an unclean stop (crash, kill, dead
 * thread): a dropped torn line is reported; if it was running, every action left without a result
 * gets an error result (it is never run again) and the conversation becomes paused. Why it paused
 * is a `ConversationErrorEvent` (code `RecoveredAfterUncleanStop`) before the `PauseEvent`, since
 * OpenHands' PauseEvent has no reason. Pure.
 */
export function recoverAfterUncleanStop(events: readonly Event[], status: ConversationStatus, notes: { tornLine?: { line: number } }): Recovery {
  const recovery: Recovery = { events: [] };
  if (notes.tornLine) {
    recovery.events.push({
      kind: 'ConversationErrorEvent',
      source: 'environment',
      code: 'TornEventDropped',
      detail: `The last line of events.jsonl (line ${notes.tornLine.line}) was cut short by an unclean stop and was dropped.`,
    });
  }
  if (status === 'running') {
    for (const action of unmatchedActions(events)) {
      recovery.events.push({ kind: 'AgentErrorEvent', source: 'agent', error: RECOVERED_TOOL_ERROR, tool_name: action.tool_name, tool_call_id: action.tool_call_id });
    }
    recovery.events.push({
      kind: 'ConversationErrorEvent',
      source: 'environment',
      code: RECOVERED_AFTER_UNCLEAN_STOP,
      detail: 'Recovered after an unclean stop: the conversation was running when its process or thread stopped, and is paused. Call run() to continue.',
    });
    recovery.events.push({ kind: 'PauseEvent', source: 'environment' });
    recovery.status = 'paused';
  }
  return recovery;
}
