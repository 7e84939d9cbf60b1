import { z } from 'zod';

export const ConversationStatusSchema = z.enum([
  'idle',
  'running',
  'paused',
  'waiting_for_confirmation',
  'finished',
  'error',
  'stuck',
]);
export type ConversationStatus = z.infer<typeof ConversationStatusSchema>;
