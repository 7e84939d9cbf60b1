import {
  AgentConfigSchema,
  ConfirmationPolicySchema,
  ConversationStatsSchema,
  ConversationStatusSchema,
  EventFilterSchema,
  EventSchema,
  EventSearchSchema,
  StuckThresholdsSchema,
  ImageContentSchema,
  LLMConfigSchema,
  MetricsSchema,
  TextContentSchema,
  TokenUsageSchema,
} from '@troupe/core';
import { z } from 'zod';
import { snakeShape } from './snake-case.js';
import { jsonValueTooDeep } from './bounded-json.js';
import { canonicalToolName, toolParamsSchema, usableToolNames } from './tool-names.js';
import { AgentContextWireSchema } from './agent-context-wire.js';
import { condenserWireSchema } from './condenser-wire.js';

/**
 * The server's wire format: OpenHands' JSON (snake_case, `kind` discriminators). These schemas
 * validate every body and produce the OpenAPI document; the agent and LLM shapes derive from the
 * core configs. Events are core's own records and cross the wire unchanged.
 */

/** Long enough for any real prompt; a bigger body is a 413 from the body limit. */
export const MAX_TEXT_LENGTH = 1_000_000;
const MAX_NAME_LENGTH = 256;

/** Conversation ids name directories, so only safe characters (UUIDs and the like). */
export const ConversationIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'letters, digits, "-" and "_" only, at most 128');

// ---------------------------------------------------------------- agent

export const LLMWireSchema = z.object({
  ...snakeShape(LLMConfigSchema.shape),
  model: z.string().min(1).max(MAX_NAME_LENGTH),
  api_key: z.string().min(1).max(4096).optional(),
});
export type LLMWire = z.infer<typeof LLMWireSchema>;

const ToolInfoSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(MAX_NAME_LENGTH)
    .refine((name) => canonicalToolName(name) !== undefined, { message: `unknown tool; the built-in tools are ${usableToolNames().join(', ')}` }),
  params: z.record(z.string(), z.unknown()).optional(),
});

/** A tool of a request: its params are checked by the tool's own schema, so a bad one is a 422, not a failed start. */
export const ToolWireSchema = ToolInfoSchema.superRefine((tool, context) => {
  const name = canonicalToolName(tool.name);
  if (name === undefined || tool.params === undefined) return;
  const parsed = toolParamsSchema(name).safeParse(tool.params);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) context.addIssue({ ...issue, path: ['params', ...issue.path] });
});

const agentShape = snakeShape(AgentConfigSchema.shape);
export const AgentWireSchema = z.object({
  ...agentShape,
  kind: z.literal('Agent').default('Agent'),
  llm: LLMWireSchema,
  tools: z.array(ToolWireSchema).max(100).default([]),
  system_prompt: z.string().max(MAX_TEXT_LENGTH).optional(),
  system_prompt_suffix: z.string().max(MAX_TEXT_LENGTH).optional(),
  /** OpenHands' `LLMSummarizingCondenser`; null turns condensation off, absent = Troupe's default condenser. */
  condenser: condenserWireSchema(LLMWireSchema).nullable().optional(),
  agent_context: AgentContextWireSchema.nullish(),
});
export type AgentWire = z.input<typeof AgentWireSchema>;

/** An agent as the server shows it: never with its API key. */
export const AgentInfoSchema = AgentWireSchema.extend({
  llm: LLMWireSchema.omit({ api_key: true }),
  tools: z.array(ToolInfoSchema).default([]),
  condenser: condenserWireSchema(LLMWireSchema.omit({ api_key: true })).nullable().optional(),
});
export type AgentInfo = z.output<typeof AgentInfoSchema>;

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
  run: z.boolean().default(false),
  /** Who sent it (another agent, a UI): kept on the MessageEvent. */
  sender: z.string().min(1).max(MAX_NAME_LENGTH).nullish(),
});
export type SendMessageRequest = z.output<typeof SendMessageRequestSchema>;

/** A message frame sent over the WebSocket (it always runs the agent). */
export const SocketMessageSchema = SendMessageRequestSchema.omit({ run: true });

/** A secret: its value, or OpenHands' `StaticSecret` form. */
export const SecretValueSchema = z.union([
  z.string().max(65_536),
  z.object({ kind: z.literal('StaticSecret').optional(), value: z.string().max(65_536) }),
]);
export const SecretsSchema = z.record(z.string().min(1).max(MAX_NAME_LENGTH).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment-variable-like name'), SecretValueSchema);

export const TagsSchema = z.record(z.string().regex(/^[a-z0-9]{1,64}$/, 'lowercase letters and digits, at most 64'), z.string().max(256));

const HOOK_CONFIG_LIMITS = { maxKeys: 64, maxDepth: 16 } as const;

/**
 * Hook scripts by lifecycle event (PreToolUse, Stop, …): accepted and stored, not yet run. Any
 * shape OpenHands writes is taken, within bounds (its own is four levels deep).
 */
export const HookConfigSchema = z
  .record(z.string().max(MAX_NAME_LENGTH), z.unknown())
  .refine((config) => Object.keys(config).length <= HOOK_CONFIG_LIMITS.maxKeys, `at most ${HOOK_CONFIG_LIMITS.maxKeys} hook events`)
  .refine((config) => !jsonValueTooDeep(config, HOOK_CONFIG_LIMITS.maxDepth), `nested at most ${HOOK_CONFIG_LIMITS.maxDepth} levels deep`);

export const StartConversationRequestSchema = z.object({
  agent: AgentWireSchema,
  workspace: LocalWorkspaceSchema,
  conversation_id: ConversationIdSchema.optional(),
  confirmation_policy: ConfirmationPolicySchema.default({ kind: 'NeverConfirm' }),
  initial_message: SendMessageRequestSchema.nullish(),
  max_iterations: z.number().int().min(1).max(100_000).default(500),
  stuck_detection: z.boolean().default(true),
  /** OpenHands' thresholds of the stuck detector (when `stuck_detection` is on). */
  stuck_detection_thresholds: z.object(snakeShape(StuckThresholdsSchema.shape)).partial().nullish(),
  /** A Troupe addition: stop with an error once the conversation has cost this many USD. */
  max_cost: z.number().positive().nullish(),
  secrets: SecretsSchema.default({}),
  hook_config: HookConfigSchema.nullish(),
  tags: TagsSchema.default({}),
  title: z.string().min(1).max(200).optional(),
});
export type StartConversationRequest = z.output<typeof StartConversationRequestSchema>;
export type StartConversationInput = z.input<typeof StartConversationRequestSchema>;

export const UpdateConversationRequestSchema = z.object({ title: z.string().min(1).max(200) });
export const UpdateSecretsRequestSchema = z.object({ secrets: SecretsSchema });
export const SetConfirmationPolicyRequestSchema = z.object({ policy: ConfirmationPolicySchema });
export const ConfirmationResponseRequestSchema = z.object({
  accept: z.boolean(),
  reason: z.string().max(MAX_TEXT_LENGTH).default('User rejected the action.'),
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
  /** Totals over every LLM of the conversation. */
  metrics: MetricsSchema.pick({ accumulated_cost: true }).extend({ accumulated_token_usage: TokenUsageSchema }),
  title: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  secret_names: z.array(z.string()),
  tags: TagsSchema,
  hook_config: HookConfigSchema.optional(),
  /** Events in the log: the next event's sequence number (for `resend_mode=since&after_seq`). */
  event_count: z.number().int().nonnegative(),
  last_error: z.object({ code: z.string(), detail: z.string() }).optional(),
  /** Knowledge skills a trigger in a user message activated so far. */
  activated_knowledge_skills: z.array(z.string()).default([]),
});
export type ConversationInfo = z.output<typeof ConversationInfoSchema>;

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

/** `/events/search`: core's event search, with `limit` read from the query string. */
export const EventSearchQuerySchema = EventSearchSchema.extend({ limit });
export type EventSearchQuery = z.output<typeof EventSearchQuerySchema>;
export const EventCountQuerySchema = EventFilterSchema;

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
