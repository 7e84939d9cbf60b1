import { z } from 'zod';
import { eventBase } from './event-base.js';

/**
 * The condenser's events, in OpenHands' shape. Nothing is ever deleted from the log: a
 * `Condensation` says which events the model no longer sees and what summary stands in for them,
 * so the view of the history (`viewOf`) is recomputed from the events after a resume.
 */

/** Events the model stops seeing, and the summary written for them. */
export const CondensationSchema = z.object({
  kind: z.literal('Condensation'),
  ...eventBase,
  source: z.literal('environment'),
  /** The ids of the forgotten events (of the log, or of an earlier summary: `<condensation id>-summary`). */
  forgotten_event_ids: z.array(z.string()),
  summary: z.string().optional(),
  /** Where the summary goes in the view, once the forgotten events are removed; absent: no summary in the view. */
  summary_offset: z.number().int().nonnegative().optional(),
  /** The id of the model response that wrote the summary. */
  llm_response_id: z.string(),
});

/** A condensation was asked for (`condense()`, or the provider said the prompt is too long); the next `Condensation` handles it. */
export const CondensationRequestSchema = z.object({
  kind: z.literal('CondensationRequest'),
  ...eventBase,
  source: z.literal('environment'),
});

export type Condensation = z.infer<typeof CondensationSchema>;
export type CondensationRequest = z.infer<typeof CondensationRequestSchema>;
