import { z } from 'zod';
import { CondensationRequestSchema, CondensationSchema, CondensationSummaryEventSchema } from './condenser-events.js';
import { AnyThinkingBlockSchema, MessageSchema, ReasoningItemSchema, TextContentSchema, ToolCallSchema } from './content.js';
import { ErrorClassificationSchema } from './error-classification.js';
import { eventBase, SecurityRiskSchema } from './event-base.js';
import { HookExecutionEventSchema } from './hook-execution-event.js';
import { randomId } from './random-id.js';
import { StreamingDeltaEventSchema, TokenEventSchema } from './streaming-events.js';
import { ActionSchema } from './tool-actions.js';
import { ObservationSchema } from './tool-observations.js';
import { ToolDefinitionRecordSchema } from './tool-wire.js';

/**
 * The event model. Every record that leaves the process (memory, `events.jsonl`, the server's JSON,
 * WebSocket frames) has this one shape: OpenHands' own, snake_case with a `kind` discriminator, and
 * strict where OpenHands is (an unknown key is an error, so a producer's slip fails in our tests
 * rather than in a client). Nested objects the OpenHands client resolves by `kind` (actions,
 * observations, tool definitions) have its kinds.
 */

export const SystemPromptEventSchema = z.strictObject({
  kind: z.literal('SystemPromptEvent'),
  ...eventBase,
  source: z.literal('agent'),
  system_prompt: TextContentSchema,
  /** What the agent was given, as OpenHands lists tools (the model request's tools come from the runtime's own). */
  tools: z.array(ToolDefinitionRecordSchema),
  dynamic_context: TextContentSchema.optional(),
});

export const MessageEventSchema = z.strictObject({
  kind: z.literal('MessageEvent'),
  ...eventBase,
  source: z.enum(['user', 'agent', 'environment']),
  llm_message: MessageSchema,
  llm_response_id: z.string().optional(),
  activated_skills: z.array(z.string()),
  extended_content: z.array(TextContentSchema),
  sender: z.string().optional(),
});

export const ActionEventSchema = z.strictObject({
  kind: z.literal('ActionEvent'),
  ...eventBase,
  source: z.literal('agent'),
  /** The model's text that came with the tool calls; only on the first action of a batch. */
  thought: z.array(TextContentSchema),
  reasoning_content: z.string().optional(),
  /** Anthropic thinking of the response, as returned (signatures included); first action of a batch only. */
  thinking_blocks: z.array(AnyThinkingBlockSchema).optional(),
  /** The OpenAI Responses reasoning item of the response; first action of a batch only. */
  responses_reasoning_item: ReasoningItemSchema.nullable().optional(),
  /** The tool's action (its validated arguments); `null` when the call cannot be executed (unknown tool, invalid arguments). */
  action: ActionSchema.nullable(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  tool_call: ToolCallSchema,
  llm_response_id: z.string(),
  security_risk: SecurityRiskSchema,
  summary: z.string().optional(),
});

export const ObservationEventSchema = z.strictObject({
  kind: z.literal('ObservationEvent'),
  ...eventBase,
  source: z.literal('environment'),
  observation: ObservationSchema,
  action_id: z.string(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  extended_content: z.array(TextContentSchema).optional(),
});

export const UserRejectObservationSchema = z.strictObject({
  kind: z.literal('UserRejectObservation'),
  ...eventBase,
  source: z.literal('environment'),
  action_id: z.string(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  rejection_reason: z.string(),
  rejection_source: z.enum(['user', 'hook']),
});

export const AgentErrorEventSchema = z.strictObject({
  kind: z.literal('AgentErrorEvent'),
  ...eventBase,
  source: z.literal('agent'),
  error: z.string(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  classification: ErrorClassificationSchema.optional(),
});

/** Paused at a step boundary. OpenHands' PauseEvent has no reason: one recorded beside it is a ConversationErrorEvent. */
export const PauseEventSchema = z.strictObject({
  kind: z.literal('PauseEvent'),
  ...eventBase,
  source: z.enum(['user', 'environment']),
});

export const InterruptEventSchema = z.strictObject({
  kind: z.literal('InterruptEvent'),
  ...eventBase,
  source: z.literal('user'),
});

export const ConversationStateUpdateEventSchema = z.strictObject({
  kind: z.literal('ConversationStateUpdateEvent'),
  ...eventBase,
  source: z.literal('environment'),
  key: z.string(),
  value: z.unknown(),
});

export const StuckPatternSchema = z.enum([
  'repeating_action_observation',
  'repeating_action_error',
  'monologue',
  'alternating_action_observation',
]);
export type StuckPattern = z.infer<typeof StuckPatternSchema>;

/** `code` is a CamelCase type name (`Stuck`, `MaxIterationsReached`, an error class); a stuck `detail` starts with the pattern: `monologue: …`. */
export const ConversationErrorEventSchema = z.strictObject({
  kind: z.literal('ConversationErrorEvent'),
  ...eventBase,
  source: z.literal('environment'),
  code: z.string(),
  detail: z.string(),
  classification: ErrorClassificationSchema.optional(),
});

export const EventSchema = z.discriminatedUnion('kind', [
  SystemPromptEventSchema,
  MessageEventSchema,
  ActionEventSchema,
  ObservationEventSchema,
  UserRejectObservationSchema,
  AgentErrorEventSchema,
  PauseEventSchema,
  InterruptEventSchema,
  ConversationStateUpdateEventSchema,
  ConversationErrorEventSchema,
  StreamingDeltaEventSchema,
  TokenEventSchema,
  CondensationSchema,
  CondensationRequestSchema,
  CondensationSummaryEventSchema,
  HookExecutionEventSchema,
]);

export type SystemPromptEvent = z.infer<typeof SystemPromptEventSchema>;
export type MessageEvent = z.infer<typeof MessageEventSchema>;
export type ActionEvent = z.infer<typeof ActionEventSchema>;
export type ObservationEvent = z.infer<typeof ObservationEventSchema>;
export type UserRejectObservation = z.infer<typeof UserRejectObservationSchema>;
export type AgentErrorEvent = z.infer<typeof AgentErrorEventSchema>;
export type PauseEvent = z.infer<typeof PauseEventSchema>;
export type InterruptEvent = z.infer<typeof InterruptEventSchema>;
export type ConversationStateUpdateEvent = z.infer<typeof ConversationStateUpdateEventSchema>;
export type ConversationErrorEvent = z.infer<typeof ConversationErrorEventSchema>;
export type Event = z.infer<typeof EventSchema>;
export type EventKind = Event['kind'];

/** Events that become part of what the model sees. */
export type LLMConvertibleEvent =
  | SystemPromptEvent
  | MessageEvent
  | ActionEvent
  | ObservationEvent
  | UserRejectObservation
  | AgentErrorEvent;

const LLM_CONVERTIBLE_KINDS: ReadonlySet<EventKind> = new Set([
  'SystemPromptEvent',
  'MessageEvent',
  'ActionEvent',
  'ObservationEvent',
  'UserRejectObservation',
  'AgentErrorEvent',
]);

export function isLLMConvertible(event: Event): event is LLMConvertibleEvent {
  return LLM_CONVERTIBLE_KINDS.has(event.kind);
}

/** Observation-like events close an action: they answer its tool call. */
export type ActionResultEvent = ObservationEvent | UserRejectObservation | AgentErrorEvent;

export function isActionResult(event: Event): event is ActionResultEvent {
  return (
    event.kind === 'ObservationEvent' ||
    event.kind === 'UserRejectObservation' ||
    event.kind === 'AgentErrorEvent'
  );
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The fields of an event that its creator chooses; `id` and `timestamp` are stamped. */
export type EventInit = DistributiveOmit<Event, 'id' | 'timestamp'>;

/** Stamps a new event with a fresh id and the current time. */
export function createEvent<E extends EventInit>(init: E): E & { id: string; timestamp: string } {
  const { kind, ...fields } = init;
  // `kind` first, then the stamps: the key order of the schema, so the JSON reads the same everywhere.
  return { kind, id: randomId(), timestamp: new Date().toISOString(), ...fields } as unknown as E & { id: string; timestamp: string };
}
