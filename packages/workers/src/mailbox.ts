import {
  AgentConfigSchema,
  AgentDefinitionsSchema,
  ConfirmationPolicyInputSchema,
  ConversationSnapshotSchema,
  ConversationStatusSchema,
  DurabilitySchema,
  EventFilterSchema,
  EventSchema,
  EventSearchSchema,
  ForkSeedSchema,
  formatZodIssues,
  HookConfigSchema,
  PluginSourceSchema,
  LLMConfigSchema,
  MailboxError,
  StorageSpecSchema,
  StuckDetectionSchema,
  UserMessageInputSchema,
} from '@troupe/core';
import { z } from 'zod';
import { DelegationRequestSchema } from './delegation-mail.js';
import { DoorbellSchema } from './doorbell.js';

/**
 * The mailbox protocol between the supervisor (main thread) and a conversation actor (worker
 * thread). Every message is a versioned, zod-validated type; the actor validates everything it
 * receives, so a malformed message gets a typed error and never kills it. The conversation's state
 * travels as core's `ConversationSnapshot`.
 */
export const MAILBOX_VERSION = 1;

const version = z.literal(MAILBOX_VERSION);

/** A tool that runs on the main thread; the actor knows only its name and JSON Schema. */
export const ClientToolSpecSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  readOnly: z.boolean(),
});
export type ClientToolSpec = z.infer<typeof ClientToolSpecSchema>;

/** Sent with the task that starts an actor. */
export const ActorInitSchema = z.object({
  v: version,
  conversationId: z.string().min(1),
  /** Absent when resuming a stored conversation with its stored agent. */
  agent: AgentConfigSchema.optional(),
  workspace: z.string().optional(),
  persistenceDir: z.string().optional(),
  /** Where the conversation is stored when not in `persistenceDir` (a storage's spec, e.g. Redis). */
  storage: StorageSpecSchema.optional(),
  durability: DurabilitySchema.optional(),
  maxIterationsPerRun: z.number().int().positive().optional(),
  stuckDetection: StuckDetectionSchema.optional(),
  confirmationPolicy: ConfirmationPolicyInputSchema.optional(),
  maxCost: z.number().positive().optional(),
  secrets: z.record(z.string(), z.string()).optional(),
  title: z.string().optional(),
  autoTitle: z.union([z.boolean(), z.literal('model')]).optional(),
  hookConfig: HookConfigSchema.optional(),
  /** Plugin directories merged into the agent and its hooks when the actor starts. */
  plugins: z.array(PluginSourceSchema).optional(),
  clientTools: z.array(ClientToolSpecSchema).default([]),
  /** Forward token events (only when someone listens). */
  streamTokens: z.boolean().default(false),
  /**
   * Send each event to the handle (callbacks, listeners or streams subscribed); otherwise only the
   * count and time of the newest, until a `subscribe_events` (the events stay in the actor's log).
   */
  forwardEvents: z.boolean().default(true),
  /** A new conversation forked from another: the copy it starts from (`fork_source` gave it). */
  fork: ForkSeedSchema.optional(),
  /** The sub-agent types its delegate tool may spawn; only with the `delegate` tool. */
  agentDefinitions: AgentDefinitionsSchema.optional(),
  maxSubAgents: z.number().int().positive().optional(),
  /** A sub-conversation: the conversation whose delegate tool started it. */
  parentConversationId: z.string().min(1).optional(),
});
export type ActorInit = z.input<typeof ActorInitSchema>;

/** Control calls and queries, made over comlink (`actor.dispatch(command)`). */
export const ActorCommandSchema = z.discriminatedUnion('type', [
  z.object({ v: version, type: z.literal('send_message'), message: UserMessageInputSchema, sender: z.string().optional() }),
  z.object({ v: version, type: z.literal('run') }),
  z.object({ v: version, type: z.literal('pause') }),
  z.object({ v: version, type: z.literal('interrupt') }),
  z.object({ v: version, type: z.literal('reject_pending_actions'), reason: z.string().optional() }),
  z.object({ v: version, type: z.literal('set_confirmation_policy'), policy: ConfirmationPolicyInputSchema }),
  z.object({ v: version, type: z.literal('update_secrets'), secrets: z.record(z.string(), z.string()) }),
  z.object({ v: version, type: z.literal('set_title'), title: z.string().min(1).max(200) }),
  z.object({ v: version, type: z.literal('condense') }),
  z.object({ v: version, type: z.literal('set_stream_tokens'), enabled: z.boolean() }),
  /**
   * Someone subscribed to the events: forward them from now on, and first those from `from` (the
   * count the handle knew; null: every event appended since the actor opened) it was not sent.
   */
  z.object({ v: version, type: z.literal('subscribe_events'), from: z.number().int().nonnegative().nullable() }),
  /** The whole snapshot, per-call stats included (the mirrored state carries totals only). */
  z.object({ v: version, type: z.literal('get_snapshot') }),
  z.object({ v: version, type: z.literal('get_events'), from: z.number().int().nonnegative(), limit: z.number().int().positive().max(10_000) }),
  /** Queries answered where the log lives: only the page crosses the thread. */
  z.object({ v: version, type: z.literal('search_events'), query: EventSearchSchema }),
  z.object({ v: version, type: z.literal('count_events'), filter: EventFilterSchema }),
  z.object({ v: version, type: z.literal('get_event'), eventId: z.string() }),
  z.object({ v: version, type: z.literal('first_seq_at'), timestamp: z.string() }),
  /** What a fork of this conversation starts from: its agent and a copy of its events (up to `upToEventId`). */
  z.object({ v: version, type: z.literal('fork_source'), upToEventId: z.string().optional(), keepStats: z.boolean() }),
  /** One model call over the conversation's context; no event, no status change (also while it runs). */
  z.object({ v: version, type: z.literal('ask_agent'), question: z.string().min(1) }),
  /** Titles the conversation by its first user message (with `llm`, else its own model). */
  z.object({ v: version, type: z.literal('generate_title'), llm: LLMConfigSchema.optional(), maxLength: z.number().int().positive().optional() }),
  z.object({ v: version, type: z.literal('close') }),
]);
export type ActorCommand = z.infer<typeof ActorCommandSchema>;
/** A command as the handle writes it; the version is added when it is sent. */
export type ActorCommandBody = z.input<typeof ActorCommandSchema> extends infer C ? (C extends unknown ? Omit<C, 'v'> : never) : never;

export const SequencedEventSchema = z.object({ seq: z.number().int().nonnegative().nullable(), event: EventSchema });
export type SequencedEvent = z.infer<typeof SequencedEventSchema>;

/** The answer to `fork_source`: the source's agent (its key included: it stays in this process) and the fork's seed. */
export const ForkSourceSchema = z.object({ agent: AgentConfigSchema, seed: ForkSeedSchema });
export type ForkSource = z.infer<typeof ForkSourceSchema>;

/** The log's length and newest event time, sent instead of events nobody subscribed to. */
export const EventProgressSchema = z.object({ eventCount: z.number().int().nonnegative(), updatedAt: z.string() });

/**
 * The snapshot in a batch of events, as the handle mirrors it: stats as totals, and `agent` only
 * when it is not the object the actor sent last (the runtime keeps one agent for the actor's life,
 * so it comes with `ready`; comparing it on every step cost the handle more than the rest of the batch).
 */
export const MirroredSnapshotSchema = ConversationSnapshotSchema.partial({ agent: true });
export type MirroredSnapshot = z.infer<typeof MirroredSnapshotSchema>;

/** Posted by the actor (not RPC): readiness, batches of events, client tool calls. */
export const ActorOutboundSchema = z.discriminatedUnion('type', [
  /** `doorbell`: the handle rings it after each call and mail, so that the actor's thread takes them at once (`ControlLane`). */
  z.object({ v: version, type: z.literal('ready'), threadId: z.number().int(), resumed: z.boolean(), snapshot: ConversationSnapshotSchema, doorbell: DoorbellSchema }),
  z.object({ v: version, type: z.literal('init_failed'), error: z.record(z.string(), z.unknown()) }),
  /**
   * Events in order; `seq` is null for live-only token events. `snapshot` when it changed (stats as
   * totals); `progress` when events were appended that were not sent (nobody subscribed).
   */
  z.object({ v: version, type: z.literal('events'), events: z.array(SequencedEventSchema), snapshot: MirroredSnapshotSchema.optional(), progress: EventProgressSchema.optional() }),
  z.object({ v: version, type: z.literal('client_tool_call'), callId: z.string(), name: z.string(), args: z.record(z.string(), z.unknown()), toolCallId: z.string() }),
  z.object({ v: version, type: z.literal('client_tool_cancel'), callId: z.string() }),
  ...DelegationRequestSchema.options,
]);
export type ActorOutbound = z.infer<typeof ActorOutboundSchema>;

/**
 * The supervisor's check of mail from an actor. An event batch is checked by its envelope and the
 * identity of each event and of the snapshot only: both were built by the runtime from their
 * schemas, so parsing them again on every batch would cost more than the step that made them. The
 * `ready` snapshot, once per actor, is parsed whole.
 */
export const ActorMailSchema = z.discriminatedUnion('type', [
  ActorOutboundSchema.options[0],
  ActorOutboundSchema.options[1],
  z.object({
    v: version,
    type: z.literal('events'),
    events: z.array(z.object({ seq: z.number().int().nullable(), event: z.looseObject({ kind: z.string(), id: z.string() }) })),
    snapshot: z.looseObject({ id: z.string(), status: ConversationStatusSchema, eventCount: z.number().int().nonnegative() }).optional(),
    progress: EventProgressSchema.optional(),
  }),
  ActorOutboundSchema.options[3],
  ActorOutboundSchema.options[4],
  ...DelegationRequestSchema.options,
]);

/** Posted by the supervisor (not RPC): outcomes of client tool calls. */
export const SupervisorOutboundSchema = z.discriminatedUnion('type', [
  z.object({
    v: version,
    type: z.literal('client_tool_result'),
    callId: z.string(),
    output: z.object({ content: z.array(z.unknown()), is_error: z.boolean() }).loose(),
  }),
  /** The call failed where the tool lives: invalid arguments, or the tool threw. */
  z.object({ v: version, type: z.literal('client_tool_failed'), callId: z.string(), invalidArguments: z.boolean(), message: z.string() }),
]);
export type SupervisorOutbound = z.infer<typeof SupervisorOutboundSchema>;

/** Validates a mailbox message; a bad one is a `MailboxError` that says what was wrong. */
export function parseMailboxMessage<S extends z.ZodType>(schema: S, message: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(message);
  if (!parsed.success) {
    throw new MailboxError(
      `Invalid ${what} (mailbox v${MAILBOX_VERSION}): ${formatZodIssues(parsed.error, '(root)')}. The message was dropped; the conversation is unaffected.`,
    );
  }
  return parsed.data;
}
