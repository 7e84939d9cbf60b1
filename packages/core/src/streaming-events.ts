import { z } from 'zod';
import { eventBase, EventSourceSchema } from './event-base.js';

/** A streamed piece of the model's reply (OpenHands' StreamingDeltaEvent). Live only: never in the log. */
export const StreamingDeltaEventSchema = z.strictObject({
  kind: z.literal('StreamingDeltaEvent'),
  ...eventBase,
  source: z.literal('agent'),
  content: z.string().nullable().optional(),
  reasoning_content: z.string().nullable().optional(),
});
export type StreamingDeltaEvent = z.infer<typeof StreamingDeltaEventSchema>;

/** The token ids of a call, for models served with them (OpenHands' TokenEvent, from vLLM). Troupe produces none yet. */
export const TokenEventSchema = z.strictObject({
  kind: z.literal('TokenEvent'),
  ...eventBase,
  source: EventSourceSchema,
  prompt_token_ids: z.array(z.number().int()),
  response_token_ids: z.array(z.number().int()),
});
export type TokenEvent = z.infer<typeof TokenEventSchema>;
