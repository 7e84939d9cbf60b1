import { AgentConfigSchema, ConfirmationPolicySchema, ConversationStatsSchema, ConversationStatusSchema } from '@troupe/core';
import { z } from 'zod';

/**
 * The delegation protocol between a parent conversation's actor (where its delegate tool runs) and
 * its handle on the main thread (`DelegationHost`, which starts the sub-conversations as actors of
 * the same supervisor, on any thread of its pool). Requests carry a `callId`; each gets one reply.
 */
const version = z.literal(1);

/** A sub-agent to start: its conversation id (recorded by the parent first), name, type and agent. */
export const SubAgentSpecSchema = z.object({
  conversationId: z.string().min(1),
  name: z.string().min(1),
  agentType: z.string().min(1),
  agent: AgentConfigSchema,
  confirmationPolicy: ConfirmationPolicySchema,
  maxIterationsPerRun: z.number().int().positive().optional(),
});
export type SubAgentSpec = z.infer<typeof SubAgentSpecSchema>;

/** How one sub-agent's task ended: its status, final response (or failure) and its stats (per-call lists included). */
export const SubAgentResultSchema = z.object({
  name: z.string(),
  conversationId: z.string(),
  status: ConversationStatusSchema,
  response: z.string(),
  error: z.string().optional(),
  stats: ConversationStatsSchema,
});
export type SubAgentResult = z.infer<typeof SubAgentResultSchema>;

/** Posted by the parent's actor. */
export const DelegationRequestSchema = z.discriminatedUnion('type', [
  /** Start these sub-conversations (a sub-agent spawned again under its name replaces the earlier one). */
  z.object({ v: version, type: z.literal('delegate_spawn'), callId: z.string(), children: z.array(SubAgentSpecSchema).min(1) }),
  /** Send each sub-agent its task and run them all at once; the reply comes when every one has stopped. */
  z.object({
    v: version,
    type: z.literal('delegate_run'),
    callId: z.string(),
    sender: z.string(),
    tasks: z.array(z.object({ name: z.string(), conversationId: z.string(), task: z.string() })).min(1),
  }),
  /** The parent is pausing or was interrupted: so are its running sub-agents; the reply comes once they stopped. */
  z.object({ v: version, type: z.literal('delegate_stop'), callId: z.string(), mode: z.enum(['pause', 'interrupt']) }),
]);
export type DelegationRequest = z.infer<typeof DelegationRequestSchema>;

/** Posted by the handle: the reply to one request. */
export const DelegationReplySchema = z.discriminatedUnion('type', [
  z.object({ v: version, type: z.literal('delegate_done'), callId: z.string(), results: z.array(SubAgentResultSchema).default([]) }),
  z.object({ v: version, type: z.literal('delegate_failed'), callId: z.string(), message: z.string() }),
]);
export type DelegationReply = z.infer<typeof DelegationReplySchema>;

const DELEGATION_TYPES = new Set(['delegate_spawn', 'delegate_run', 'delegate_stop', 'delegate_done', 'delegate_failed']);

/** Whether a message on the port belongs to the delegation protocol (its own schema then checks it). */
export function isDelegationMail(message: unknown): boolean {
  return typeof message === 'object' && message !== null && DELEGATION_TYPES.has((message as { type?: unknown }).type as string);
}
