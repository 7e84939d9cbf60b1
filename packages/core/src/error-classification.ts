import { z } from 'zod';

/** OpenHands' small, closed vocabulary of what kind of failure an error event reports (strict, as there). */
export const ErrorClassificationSchema = z.strictObject({
  kind: z.enum(['auth', 'quota', 'rate_limit', 'config', 'transient', 'agent_action', 'internal', 'unknown']),
  retryable: z.boolean(),
  user_action: z.enum(['none', 'retry', 'settings']).optional(),
  error_id: z.string().nullable().optional(),
});
export type ErrorClassification = z.infer<typeof ErrorClassificationSchema>;
