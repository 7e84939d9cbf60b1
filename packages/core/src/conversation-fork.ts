import { z } from 'zod';
import { EventNotFoundError } from './errors.js';
import { type Event, type EventInit, EventSchema } from './events.js';
import { ConversationStatsSchema } from './metrics.js';
import { unmatchedActions } from './pending-actions.js';

/**
 * What a fork starts from: a copy of the source's events (whole, or up to and including one
 * event), where they came from, and the source's stats when they are kept (`resetMetrics: false`).
 */
export const ForkSeedSchema = z.object({
  fromConversationId: z.string().min(1),
  /** The event the fork was cut at; absent when the whole log was copied. */
  fromEventId: z.string().optional(),
  events: z.array(EventSchema),
  stats: ConversationStatsSchema.optional(),
});
export type ForkSeed = z.infer<typeof ForkSeedSchema>;

export const FORK_UNFINISHED_ACTION_ERROR =
  'Not run in this conversation: it was forked from another before this action had a result. Check its effects in the workspace before retrying.';

/**
 * The events a fork copies: the whole log, or the events up to and including `upToEventId` (the
 * log is linear, so that is its prefix). An id that names no event is an `EventNotFoundError`. Pure.
 */
export function forkedEvents(events: readonly Event[], sourceId: string, upToEventId?: string): Event[] {
  if (upToEventId === undefined) return [...events];
  const index = events.findIndex((event) => event.id === upToEventId);
  if (index < 0) throw new EventNotFoundError(`Event ${JSON.stringify(upToEventId)} is not in conversation ${sourceId}; fork at one of its event ids, or omit it to copy the whole log.`);
  return events.slice(0, index + 1);
}

/**
 * What a fork appends to its copy at once: an error result for every action the copy leaves
 * without one (cut between an action and its result, or forked while a tool ran). The fork never
 * runs such an action itself: the source may have run it in the same workspace. Pure.
 */
export function forkClosingEvents(copied: readonly Event[]): EventInit[] {
  return unmatchedActions(copied).map((action) => ({
    kind: 'AgentErrorEvent',
    source: 'agent',
    error: FORK_UNFINISHED_ACTION_ERROR,
    tool_name: action.tool_name,
    tool_call_id: action.tool_call_id,
  }));
}
