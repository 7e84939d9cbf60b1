import { z } from 'zod';
import { AgentConfigSchema } from './agent-config.js';
import { ConfirmationPolicySchema } from './confirmation-policy.js';
import { MessageSchema } from './content.js';
import { ConversationStatusSchema } from './conversation-status.js';
import { HookConfigSchema } from './hook-config.js';
import { ConversationStatsSchema } from './metrics.js';
import { StuckThresholdsSchema } from './stuck-detector.js';

/** A user message sent while the agent was busy, waiting for the next step boundary. */
export const QueuedMessageSchema = z.object({
  /** The id its MessageEvent will have once admitted (so a crash cannot admit it twice). */
  id: z.string(),
  message: MessageSchema,
  sender: z.string().optional(),
  queuedAt: z.string(),
});
export type QueuedMessage = z.infer<typeof QueuedMessageSchema>;

export const LastErrorSchema = z.object({ code: z.string(), detail: z.string() });
export type LastError = z.infer<typeof LastErrorSchema>;

/**
 * Everything about a conversation but its events, in one shape: what `ConversationRuntime.snapshot()`
 * returns, what the actor sends the handle (the mailbox's state), what `state.json` is derived from
 * (`toStateFile` / `fromStateFile`) and what the server's ConversationInfo is made of (`toWireInfo`).
 * The agent never carries its API key; secrets appear by name only.
 */
export const ConversationSnapshotSchema = z.object({
  id: z.string(),
  agent: AgentConfigSchema,
  workspace: z.string(),
  status: ConversationStatusSchema,
  stats: ConversationStatsSchema,
  title: z.string().optional(),
  createdAt: z.string(),
  /** The last activity: the time of the newest event, or of the last change. */
  updatedAt: z.string(),
  /** Events in the log: the next event's sequence number. */
  eventCount: z.number().int().nonnegative(),
  lastError: LastErrorSchema.optional(),
  confirmationPolicy: ConfirmationPolicySchema,
  maxIterationsPerRun: z.number().int().positive(),
  stuckDetection: z.union([z.literal(false), StuckThresholdsSchema]),
  /** Stop with an error once the conversation has cost this many USD. */
  maxCost: z.number().positive().optional(),
  secretNames: z.array(z.string()),
  /** Messages acknowledged while the agent was busy, not yet admitted. */
  queuedMessages: z.array(QueuedMessageSchema),
  /** The conversation's hooks (absent: none). */
  hookConfig: HookConfigSchema.optional(),
  /** Actions a PreToolUse hook blocked: action id → reason (OpenHands' `blocked_actions`). */
  blockedActions: z.record(z.string(), z.string()),
  /** User messages a UserPromptSubmit hook kept from the model: message id → reason (`blocked_messages`). */
  blockedMessages: z.record(z.string(), z.string()),
  /** The conversation this one was forked from (`fork()`), and the event it was forked at (absent when the whole log was copied). */
  forkedFromConversationId: z.string().optional(),
  forkedFromEventId: z.string().optional(),
  /** The conversation whose delegate tool started this one (OpenHands' `parent_conversation_id`). */
  parentConversationId: z.string().optional(),
  /** The sub-conversations this one's delegate tool started, in order (`sub_conversation_ids`). */
  subConversationIds: z.array(z.string()).default([]),
  /** Knowledge skills activated by a trigger in a user message so far (OpenHands' `activated_knowledge_skills`). */
  activatedKnowledgeSkills: z.array(z.string()).default([]),
});
export type ConversationSnapshot = z.infer<typeof ConversationSnapshotSchema>;
