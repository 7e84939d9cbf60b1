import { z } from 'zod';

export const EventSourceSchema = z.enum(['agent', 'user', 'environment', 'hook']);
export type EventSource = z.infer<typeof EventSourceSchema>;

export const SecurityRiskSchema = z.enum(['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH']);
export type SecurityRisk = z.infer<typeof SecurityRiskSchema>;

/** ISO 8601 with an explicit offset, e.g. `2026-11-22T00:31:01.123Z`. */
export const TimestampSchema = z.iso.datetime({ offset: true });

/** The fields every event has, after its `kind`. `parent_id` is OpenHands' (Troupe sets none). */
export const eventBase = {
  id: z.string().min(1),
  timestamp: TimestampSchema,
  parent_id: z.string().optional(),
};
