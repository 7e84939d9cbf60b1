import { z } from 'zod';
import { eventBase, EventSourceSchema } from './event-base.js';

export const HookEventTypeSchema = z.enum(['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'SessionStart', 'SessionEnd', 'Stop']);
export type HookEventType = z.infer<typeof HookEventTypeSchema>;

/** A hook ran (OpenHands' HookExecutionEvent). Troupe produces none yet. */
export const HookExecutionEventSchema = z.strictObject({
  kind: z.literal('HookExecutionEvent'),
  ...eventBase,
  source: EventSourceSchema,
  hook_event_type: HookEventTypeSchema,
  hook_command: z.string(),
  tool_name: z.string().nullable().optional(),
  success: z.boolean(),
  blocked: z.boolean().optional(),
  exit_code: z.number().int(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
  reason: z.string().nullable().optional(),
  additional_context: z.string().nullable().optional(),
  error: z.string().nullable().optional(),
  action_id: z.string().nullable().optional(),
  message_id: z.string().nullable().optional(),
  hook_input: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type HookExecutionEvent = z.infer<typeof HookExecutionEventSchema>;
