import {
  ConfirmationPolicySchema,
  ConversationStatsSchema,
  ConversationStatusSchema,
  EventFilterSchema,
  EventSchema,
  EventSearchSchema,
  HookConfigSchema,
  PluginSourceSchema,
  StoredHookConfigSchema,
  StuckThresholdsSchema,
  ImageContentSchema,
  MetricsSchema,
  TextContentSchema,
} from '@troupe/core';
import { z } from 'zod';
import { AgentInfoSchema, AgentWireSchema } from './agent-wire.js';
import { snakeShape } from './snake-case.js';
import { jsonValueTooDeep } from './bounded-json.js';
import { NotAppliedSchema } from './not-applied.js';
import { SecretsSchema } from './secret-sources.js';
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from './wire-limits.js';

/**
 * The server's wire format: OpenHands' JSON (snake_case, `kind` discriminators). These schemas
 * validate every body and produce the OpenAPI document; the agent and LLM shapes derive from the
 * core configs. Events are core's own records and cross the wire unchanged.
 */

export { MAX_TEXT_LENGTH } from './wire-limits.js';
export { AgentWireSchema, AgentInfoSchema, ToolWireSchema, type AgentWire, type AgentInfo } from './agent-wire.js';
export { LLMWireSchema, type LLMWire } from './llm-wire.js';
export { SecretSourceSchema, SecretsSchema, type SecretSource } from './secret-sources.js';

/** Conversation ids name directories, so only safe characters (UUIDs and the like). */
export const ConversationIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'letters, digits, "-" and "_" only, at most 128');

/** OpenHands writes `null` for every unset optional field: it means the default. */
const orDefault = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === null ? undefined : value), schema);

// ---------------------------------------------------------------- requests

export const LocalWorkspaceSchema = z.object({
  kind: z.literal('LocalWorkspace').default('LocalWorkspace'),
  working_dir: z.string().min(1).max(4096),
});

const WireTextContentSchema = TextContentSchema.extend({ text: z.string().max(MAX_TEXT_LENGTH) });
const WireContentSchema = z.discriminatedUnion('type', [WireTextContentSchema, ImageContentSchema.extend({ image_urls: z.array(z.string().max(MAX_TEXT_LENGTH)).min(1).max(20) })]);

/** A user message; `run` starts the agent after it is added. */
export const SendMessageRequestSchema = z.object({
  role: z.literal('user').default('user'),
  content: z.array(WireContentSchema).min(1).max(100),
  run: orDefault(z.boolean().default(false)),
  /** Who sent it (another agent, a UI): kept on the MessageEvent. */
  sender: z.string().min(1).max(MAX_NAME_LENGTH).nullish(),
});
export type SendMessageRequest = z.output<typeof SendMessageRequestSchema>;

/** A message frame sent over the WebSocket (it always runs the agent). */
export const SocketMessageSchema = SendMessageRequestSchema.omit({ run: true });

export const TagsSchema = z.record(z.string().regex(/^[a-z0-9]{1,64}$/, 'lowercase letters and digits, at most 64'), z.string().max(256));

/**
 * A security analyzer (OpenHands' `kind`s). Troupe reads the model's `security_risk` the way
 * OpenHands' `LLMSecurityAnalyzer` does; the analyzer is stored and reported back.
 */
export const SecurityAnalyzerSchema = z
  .object({ kind: z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'an analyzer class name') })
  .catchall(z.unknown())
  .refine((analyzer) => !jsonValueTooDeep(analyzer, 16), 'nested at most 16 levels deep');
export type SecurityAnalyzer = z.output<typeof SecurityAnalyzerSchema>;

/**
 * `POST /api/conversations` as OpenHands' client writes it: `null` means unset everywhere, and
 * fields Troupe does not act on are kept as they came (stored, reported in `not_applied`).
 */
export const StartConversationRequestSchema = z
  .object({
    agent: AgentWireSchema,
    workspace: LocalWorkspaceSchema,
    conversation_id: ConversationIdSchema.nullish(),
    confirmation_policy: orDefault(ConfirmationPolicySchema.default({ kind: 'NeverConfirm' })),
    security_analyzer: SecurityAnalyzerSchema.nullish(),
    /** Always starts the run, as in OpenHands (its `run` flag is ignored); see `run_initial_message`. */
    initial_message: SendMessageRequestSchema.nullish(),
    /** A Troupe addition: false adds the initial message without starting the run. */
    run_initial_message: orDefault(z.boolean().default(true)),
    max_iterations: orDefault(z.number().int().min(1).max(100_000).default(500)),
    stuck_detection: orDefault(z.boolean().default(true)),
    /** OpenHands' thresholds of the stuck detector (when `stuck_detection` is on). */
    stuck_detection_thresholds: z.object(snakeShape(StuckThresholdsSchema.shape)).partial().nullish(),
    /** A Troupe addition: stop with an error once the conversation has cost this many USD. */
    max_cost: z.number().positive().nullish(),
    secrets: orDefault(SecretsSchema.default({})),
    hook_config: HookConfigSchema.nullish(),
    /** Local plugin directories merged into the agent and its hooks (a git source is refused). */
    plugins: z.array(PluginSourceSchema).nullish(),
    tags: orDefault(TagsSchema.default({})),
    title: z.string().min(1).max(200).nullish(),
    /** Title the conversation from its first user message (default true). */
    autotitle: orDefault(z.boolean().default(true)),
  })
  .catchall(z.unknown());
export type StartConversationRequest = z.output<typeof StartConversationRequestSchema>;
export type StartConversationInput = z.input<typeof StartConversationRequestSchema>;

/** `PATCH`: a new title, new tags (replacing all), or both. */
export const UpdateConversationRequestSchema = z.object({ title: z.string().min(1).max(200).nullish(), tags: TagsSchema.nullish() });
export const UpdateSecretsRequestSchema = z.object({ secrets: SecretsSchema });
/** `POST /{id}/fork` (the body may be left out: every field has its default). */
export const ForkConversationRequestSchema = z.preprocess(
  (value) => value ?? {},
  z.object({
    id: ConversationIdSchema.nullish(),
    title: z.string().max(200).nullish(),
    tags: TagsSchema.nullish(),
    reset_metrics: orDefault(z.boolean().default(true)),
    from_event_id: z.string().max(128).nullish(),
  }),
);
export type ForkConversationRequest = z.output<typeof ForkConversationRequestSchema>;
export const AskAgentRequestSchema = z.object({ question: z.string().min(1).max(MAX_TEXT_LENGTH) });
export const AskAgentResponseSchema = z.object({ response: z.string() });
export const SetConfirmationPolicyRequestSchema = z.object({ policy: ConfirmationPolicySchema });
export const SetSecurityAnalyzerRequestSchema = z.object({ security_analyzer: SecurityAnalyzerSchema.nullable() });
export const ConfirmationResponseRequestSchema = z.object({
  accept: z.boolean(),
  reason: orDefault(z.string().max(MAX_TEXT_LENGTH).default('User rejected the action.')),
});

// ---------------------------------------------------------------- responses

export const ServerExecutionStatusSchema = z.enum([...ConversationStatusSchema.options, 'deleting']);

export const ConversationInfoSchema = z.object({
  id: z.string(),
  agent: AgentInfoSchema,
  workspace: LocalWorkspaceSchema,
  persistence_dir: z.string(),
  max_iterations: z.number().int(),
  stuck_detection: z.boolean(),
  execution_status: ServerExecutionStatusSchema,
  confirmation_policy: ConfirmationPolicySchema,
  stats: ConversationStatsSchema,
  /** Totals over every LLM of the conversation, as OpenHands' MetricsSnapshot (its combined metrics are named `default`). */
  metrics: MetricsSchema.pick({ model_name: true, accumulated_cost: true, max_budget_per_task: true, accumulated_token_usage: true }),
  title: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  secret_names: z.array(z.string()),
  tags: TagsSchema,
  hook_config: StoredHookConfigSchema.optional(),
  /** The plugins of the request, as sent. */
  plugins: z.array(PluginSourceSchema).default([]),
  /** Actions PreToolUse hooks blocked, by action id: the reason. */
  blocked_actions: z.record(z.string(), z.string()),
  /** User messages UserPromptSubmit hooks kept from the model, by message id: the reason. */
  blocked_messages: z.record(z.string(), z.string()),
  security_analyzer: SecurityAnalyzerSchema.nullable(),
  /** Client tools of the request, as sent (an attaching OpenHands client registers their action kinds). */
  client_tools: z.array(z.unknown()),
  invoked_skills: z.array(z.string()),
  /** A Troupe addition: the fields of the request Troupe stored but does not act on (yet). */
  not_applied: z.array(NotAppliedSchema),
  /** Events in the log: the next event's sequence number (for `resend_mode=since&after_seq`). */
  event_count: z.number().int().nonnegative(),
  last_error: z.object({ code: z.string(), detail: z.string() }).optional(),
  /** The conversation this one was forked from, and the event it was cut at (null: not a fork, or the whole log). */
  forked_from_conversation_id: z.string().nullable(),
  forked_from_event_id: z.string().nullable(),
  /** The conversation whose delegate tool started this one (null: a top-level conversation), and those this one's started. */
  parent_conversation_id: z.string().nullable().default(null),
  sub_conversation_ids: z.array(z.string()).default([]),
  /** Knowledge skills a trigger in a user message activated so far. */
  activated_knowledge_skills: z.array(z.string()).default([]),
});
export type ConversationInfo = z.output<typeof ConversationInfoSchema>;

/** `GET /api/conversations?ids=…`: each id's info, or null for an unknown one. */
export const BatchGetQuerySchema = z.object({
  ids: z.union([z.string().max(128), z.array(z.string().max(128)).max(100)]).transform((ids) => (Array.isArray(ids) ? ids : [ids])),
});
export const ConversationBatchSchema = z.array(ConversationInfoSchema.nullable());

export const ConversationPageSchema = z.object({ items: z.array(ConversationInfoSchema), next_page_id: z.string().nullable() });
export type ConversationPage = z.output<typeof ConversationPageSchema>;

export const EventPageSchema = z.object({ items: z.array(EventSchema), next_page_id: z.string().nullable() });

export const SuccessSchema = z.object({ success: z.literal(true) });
/** `message_id` and `queued` say what became of the message (a Troupe addition). */
export const SendMessageResponseSchema = SuccessSchema.extend({ message_id: z.string(), queued: z.boolean() });
export const ConfirmationResponseSchema = SuccessSchema.extend({ rejected_count: z.number().int().nonnegative() });
/**
 * `POST /run` answers once the run has started. Troupe additions: `run_status` when it had already
 * ended (nothing to do, or done at once), else `running_from_seq`: the run's final status change is
 * the first `execution_status` event from that sequence number on.
 */
export const RunResponseSchema = SuccessSchema.extend({ run_status: ServerExecutionStatusSchema.optional(), running_from_seq: z.number().int().nonnegative().optional() });
/** `join=true` (a Troupe addition): a run already going is joined rather than refused with 409. */
export const RunQuerySchema = z.object({ join: z.enum(['true', 'false']).transform((value) => value === 'true').optional() });
export const AgentFinalResponseSchema = z.object({ response: z.string() });
export const CountSchema = z.number().int().nonnegative();

export const ValidationIssueSchema = z.object({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() });
/** The one error shape of every route: a message, or the validation issues of a 422. */
export const ErrorResponseSchema = z.object({ detail: z.union([z.string(), z.array(ValidationIssueSchema)]), error_id: z.string().optional() });
export type ErrorResponse = z.output<typeof ErrorResponseSchema>;

export const HealthSchema = z.object({ status: z.string() });
export const ServerInfoSchema = z.object({
  title: z.string(),
  version: z.string(),
  uptime: z.number(),
  idle_time: z.number(),
  usable_tools: z.array(z.string()),
  /** Seconds an idle conversation stays open (null: until closed). */
  runtime_idle_timeout_seconds: z.number().nullable(),
  capabilities: z.array(z.string()),
  docs: z.string(),
  openapi: z.string(),
});

// ---------------------------------------------------------------- queries

const limit = z.coerce.number().int().min(1).max(100).default(100);

export const ConversationSortOrderSchema = z.enum(['CREATED_AT', 'UPDATED_AT', 'CREATED_AT_DESC', 'UPDATED_AT_DESC']);
export type ConversationSortOrder = z.output<typeof ConversationSortOrderSchema>;

export const ConversationSearchQuerySchema = z.object({
  page_id: z.string().max(1024).optional(),
  limit,
  status: ServerExecutionStatusSchema.optional(),
  sort_order: ConversationSortOrderSchema.default('CREATED_AT_DESC'),
});
export type ConversationSearchQuery = z.output<typeof ConversationSearchQuerySchema>;
export const ConversationCountQuerySchema = ConversationSearchQuerySchema.pick({ status: true });

/** Offsets are optional: a naive timestamp is read as UTC, never as server local time. */
const timestamp = z.iso.datetime({ offset: true, local: true });

/** `include_state=true` in a query string. */
const includeState = z.stringbool().optional();

/** `/events/search`: core's event search, with `limit` and `include_state` read from the query string. */
export const EventSearchQuerySchema = EventSearchSchema.extend({ limit, include_state: includeState });
export type EventSearchQuery = z.output<typeof EventSearchQuerySchema>;
export const EventCountQuerySchema = EventFilterSchema.extend({ include_state: includeState });

export const ConversationParamsSchema = z.object({ conversation_id: z.string() });
export const EventParamsSchema = ConversationParamsSchema.extend({ event_id: z.string() });

export const SocketQuerySchema = z.object({
  resend_mode: z.enum(['all', 'since']).optional(),
  /** With `since`: replay the events after this sequence number. */
  after_seq: z.coerce.number().int().min(-1).optional(),
  /** With `since`: replay the events from this time on. */
  after_timestamp: timestamp.optional(),
  session_api_key: z.string().optional(),
});
export type SocketQuery = z.output<typeof SocketQuerySchema>;
