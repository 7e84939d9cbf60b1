import { z } from 'zod';
import { AgentRecordSchema } from './agent.js';
import { MessageSchema } from './content.js';
import { ConfirmationPolicySchema } from './confirmation-policy.js';
import { ConversationStatsSchema } from './metrics.js';
import { StuckThresholdsSchema } from './stuck-detector.js';

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

/** Statuses from which `run()` has nothing to continue until a new message arrives. */
export const TERMINAL_STATUSES: ReadonlySet<ConversationStatus> = new Set(['finished', 'error', 'stuck']);

/** The schema version of `state.json` and of each line of `events.jsonl` written by this code. */
export const SCHEMA_VERSION = 1;

/** A user message sent while the agent was busy, waiting for the next step boundary. */
export const QueuedMessageSchema = z.object({
  /** The id its MessageEvent will have once admitted (so a crash cannot admit it twice). */
  id: z.string(),
  message: MessageSchema,
  sender: z.string().optional(),
  queued_at: z.string(),
});
export type QueuedMessage = z.infer<typeof QueuedMessageSchema>;

/**
 * Everything about a conversation except its events: `state.json`, and what `state` reports.
 * snake_case, like every record that leaves the process. The agent is stored without its API key
 * and secrets by name only.
 */
export const ConversationStateSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  id: z.string(),
  agent: AgentRecordSchema,
  workspace: z.string(),
  execution_status: ConversationStatusSchema,
  confirmation_policy: ConfirmationPolicySchema,
  max_iterations: z.number().int().positive(),
  stuck_detection: z.union([z.literal(false), StuckThresholdsSchema]),
  max_cost: z.number().positive().optional(),
  stats: ConversationStatsSchema,
  title: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  secret_names: z.array(z.string()),
  queued_messages: z.array(QueuedMessageSchema),
  /** Number of events in `events.jsonl` when this state was written. */
  event_count: z.number().int().nonnegative(),
  last_error: z.object({ code: z.string(), detail: z.string() }).optional(),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;
