import { z } from 'zod';
import { eventBase, EventSourceSchema } from './event-base.js';

/**
 * The condenser's events, in OpenHands' shape. Troupe produces none yet; they are in the event
 * union so that a log or a client holding them is read as OpenHands would.
 */

/** Events the model no longer sees, and the summary that stands in for them at `summary_offset`. */
export const CondensationSchema = z.strictObject({
  kind: z.literal('Condensation'),
  ...eventBase,
  source: EventSourceSchema,
  forgotten_event_ids: z.array(z.string()).optional(),
  summary: z.string().nullable().optional(),
  summary_offset: z.number().int().nullable().optional(),
  llm_response_id: z.string(),
});
export type Condensation = z.infer<typeof CondensationSchema>;

/** Asks the condenser to condense the history at the next step. */
export const CondensationRequestSchema = z.strictObject({
  kind: z.literal('CondensationRequest'),
  ...eventBase,
  source: EventSourceSchema,
});
export type CondensationRequest = z.infer<typeof CondensationRequestSchema>;

/** The summary of condensed events, as the model sees it. */
export const CondensationSummaryEventSchema = z.strictObject({
  kind: z.literal('CondensationSummaryEvent'),
  ...eventBase,
  source: EventSourceSchema,
  summary: z.string(),
});
export type CondensationSummaryEvent = z.infer<typeof CondensationSummaryEventSchema>;
