import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ContentSchema,
  MessageSchema,
  TextContentSchema,
  ToolCallSchema,
} from './content.js';
import { CondensationRequestSchema, CondensationSchema } from './condensation-events.js';
import { eventBase } from './event-base.js';

/**
 * The event model. Every record that leaves the process (memory, `events.jsonl`, the server's JSON,
 * WebSocket frames) has this one shape: OpenHands' own, snake_case with a `kind` discriminator.
 */

export const EventSourceSchema = z.enum(['agent', 'user', 'environment', 'hook']);
export type EventSource = z.infer<typeof EventSourceSchema>;

export const SecurityRiskSchema = z.enum(['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH']);
export type SecurityRisk = z.infer<typeof SecurityRiskSchema>;

const base = eventBase;

/** OpenAI function-tool JSON as sent to the model. */
export const ToolSpecSchema = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string(),
    description: z.string(),
    parameters: z.record(z.string(), z.unknown()),
  }),
});
export type ToolSpec = z.infer<typeof ToolSpecSchema>;

export const SystemPromptEventSchema = z.object({
  kind: z.literal('SystemPromptEvent'),
  ...base,
  source: z.literal('agent'),
  system_prompt: TextContentSchema,
  tools: z.array(ToolSpecSchema),
});

export const MessageEventSchema = z.object({
  kind: z.literal('MessageEvent'),
  ...base,
  source: z.enum(['user', 'agent', 'environment']),
  llm_message: MessageSchema,
  llm_response_id: z.string().optional(),
  activated_skills: z.array(z.string()),
  extended_content: z.array(TextContentSchema),
  sender: z.string().optional(),
});

export const ActionEventSchema = z.object({
  kind: z.literal('ActionEvent'),
  ...base,
  source: z.literal('agent'),
  /** The model's text that came with the tool calls; only on the first action of a batch. */
  thought: z.array(TextContentSchema),
  reasoning_content: z.string().optional(),
  /** Validated arguments; `null` when the call cannot be executed (unknown tool, invalid arguments). */
  action: z.record(z.string(), z.unknown()).nullable(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  tool_call: ToolCallSchema,
  llm_response_id: z.string(),
  security_risk: SecurityRiskSchema,
  summary: z.string().optional(),
});

/** What a tool returned. Tools may add their own fields (exit_code, path, …) beside the content. */
export const ObservationSchema = z.looseObject({
  content: z.array(ContentSchema),
  is_error: z.boolean(),
});
export type Observation = z.infer<typeof ObservationSchema>;

export const ObservationEventSchema = z.object({
  kind: z.literal('ObservationEvent'),
  ...base,
  source: z.literal('environment'),
  observation: ObservationSchema,
  action_id: z.string(),
  tool_name: z.string(),
  tool_call_id: z.string(),
});

export const UserRejectObservationSchema = z.object({
  kind: z.literal('UserRejectObservation'),
  ...base,
  source: z.literal('environment'),
  action_id: z.string(),
  tool_name: z.string(),
  tool_call_id: z.string(),
  rejection_reason: z.string(),
  rejection_source: z.enum(['user', 'hook']),
});

export const AgentErrorEventSchema = z.object({
  kind: z.literal('AgentErrorEvent'),
  ...base,
  source: z.literal('agent'),
  error: z.string(),
  tool_name: z.string(),
  tool_call_id: z.string(),
});

export const PauseEventSchema = z.object({
  kind: z.literal('PauseEvent'),
  ...base,
  source: z.enum(['user', 'environment']),
  reason: z.string().optional(),
});

export const InterruptEventSchema = z.object({
  kind: z.literal('InterruptEvent'),
  ...base,
  source: z.literal('user'),
  reason: z.string().optional(),
});

export const ConversationStateUpdateEventSchema = z.object({
  kind: z.literal('ConversationStateUpdateEvent'),
  ...base,
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

export const ConversationErrorEventSchema = z.object({
  kind: z.literal('ConversationErrorEvent'),
  ...base,
  source: z.literal('environment'),
  code: z.string(),
  detail: z.string(),
  /** Set when `code` is `Stuck`: which pattern of the stuck detector fired. */
  stuck_pattern: StuckPatternSchema.optional(),
});

/** A streamed piece of the model's reply. Live only: never persisted. */
export const TokenEventSchema = z.object({
  kind: z.literal('TokenEvent'),
  ...base,
  source: z.literal('agent'),
  content: z.string().optional(),
  reasoning_content: z.string().optional(),
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
  TokenEventSchema,
  CondensationSchema,
  CondensationRequestSchema,
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
export type TokenEvent = z.infer<typeof TokenEventSchema>;
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
  return { kind, id: randomUUID(), timestamp: new Date().toISOString(), ...fields } as unknown as E & { id: string; timestamp: string };
}
