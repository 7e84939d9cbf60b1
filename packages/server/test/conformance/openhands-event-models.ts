import { z } from 'zod';
import { OhAction, OhContent, OhObservation, OhTextContent, OhToolDefinition } from './openhands-tool-models.js';

/**
 * The conformance oracle, part 2: OpenHands' events as its Python client parses them (every event
 * forbids unknown keys; see openhands-tool-models.ts for the conventions). Written from OpenHands'
 * published models, independently of core's schemas.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const OhSource = z.enum(['agent', 'user', 'environment', 'hook']);

/** Fields of every event; `source` has a per-kind default, except where the kind requires it. */
const event = {
  id: z.string().optional(),
  /** Any string; the client sorts its cache by it. */
  timestamp: z.string().optional(),
  source: OhSource.optional(),
  parent_id: nullable(z.string()),
};
const sourced = { ...event, source: OhSource };

const OhMessageToolCall = z.looseObject({
  id: z.string(),
  responses_item_id: nullable(z.string()),
  name: z.string(),
  arguments: z.string(),
  origin: z.enum(['completion', 'responses']),
});

const OhMessage = z.looseObject({
  role: z.enum(['user', 'system', 'assistant', 'tool']),
  content: z.array(OhContent).optional(),
  tool_calls: nullable(z.array(OhMessageToolCall)),
  tool_call_id: nullable(z.string()),
  name: nullable(z.string()),
  reasoning_content: nullable(z.string()),
  thinking_blocks: z.array(z.record(z.string(), z.unknown())).optional(),
  responses_reasoning_item: nullable(z.record(z.string(), z.unknown())),
});

const OhErrorClassification = z.strictObject({
  kind: z.enum(['auth', 'quota', 'rate_limit', 'config', 'transient', 'agent_action', 'internal', 'unknown']),
  retryable: z.boolean(),
  user_action: z.enum(['none', 'retry', 'settings']).optional(),
  error_id: nullable(z.string()),
});

const OhCriticResult = z.record(z.string(), z.unknown());

export const OhEvent = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('SystemPromptEvent'), ...event, system_prompt: OhTextContent, tools: z.array(OhToolDefinition), dynamic_context: nullable(OhTextContent) }),
  z.strictObject({
    kind: z.literal('MessageEvent'),
    ...sourced,
    llm_message: OhMessage,
    llm_response_id: nullable(z.string()),
    activated_skills: z.array(z.string()).optional(),
    extended_content: z.array(OhTextContent).optional(),
    sender: nullable(z.string()),
    critic_result: nullable(OhCriticResult),
  }),
  z.strictObject({
    kind: z.literal('ActionEvent'),
    ...event,
    thought: z.array(OhTextContent),
    reasoning_content: nullable(z.string()),
    thinking_blocks: z.array(z.record(z.string(), z.unknown())).optional(),
    responses_reasoning_item: nullable(z.record(z.string(), z.unknown())),
    action: nullable(OhAction),
    tool_name: z.string(),
    tool_call_id: z.string(),
    tool_call: OhMessageToolCall,
    llm_response_id: z.string(),
    security_risk: z.enum(['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH']).optional(),
    critic_result: nullable(OhCriticResult),
    summary: nullable(z.string()),
  }),
  z.strictObject({
    kind: z.literal('ObservationEvent'),
    ...event,
    tool_name: z.string(),
    tool_call_id: z.string(),
    observation: OhObservation,
    action_id: z.string(),
    extended_content: z.array(OhTextContent).optional(),
  }),
  z.strictObject({
    kind: z.literal('UserRejectObservation'),
    ...event,
    tool_name: z.string(),
    tool_call_id: z.string(),
    rejection_reason: z.string().optional(),
    rejection_source: z.enum(['user', 'hook']).optional(),
    action_id: z.string(),
  }),
  z.strictObject({ kind: z.literal('AgentErrorEvent'), ...event, tool_name: z.string(), tool_call_id: z.string(), error: z.string(), classification: nullable(OhErrorClassification) }),
  z.strictObject({ kind: z.literal('PauseEvent'), ...event }),
  z.strictObject({ kind: z.literal('InterruptEvent'), ...event }),
  z.strictObject({ kind: z.literal('ConversationStateUpdateEvent'), ...event, key: z.string().optional(), value: z.unknown().optional() }),
  z.strictObject({ kind: z.literal('ConversationErrorEvent'), ...sourced, code: z.string(), detail: z.string(), classification: nullable(OhErrorClassification) }),
  z.strictObject({ kind: z.literal('TokenEvent'), ...sourced, prompt_token_ids: z.array(z.number().int()), response_token_ids: z.array(z.number().int()) }),
  z.strictObject({ kind: z.literal('StreamingDeltaEvent'), ...event, content: nullable(z.string()), reasoning_content: nullable(z.string()) }),
  z.strictObject({
    kind: z.literal('Condensation'),
    ...event,
    forgotten_event_ids: z.array(z.string()).optional(),
    summary: nullable(z.string()),
    summary_offset: nullable(z.number().int()),
    llm_response_id: z.string(),
  }),
  z.strictObject({ kind: z.literal('CondensationRequest'), ...event }),
  z.strictObject({ kind: z.literal('CondensationSummaryEvent'), ...event, summary: z.string() }),
  z.strictObject({
    kind: z.literal('HookExecutionEvent'),
    ...event,
    hook_event_type: z.enum(['PreToolUse', 'PostToolUse', 'UserPromptSubmit', 'SessionStart', 'SessionEnd', 'Stop']),
    hook_command: z.string(),
    tool_name: nullable(z.string()),
    success: z.boolean(),
    blocked: z.boolean().optional(),
    exit_code: z.number().int(),
    stdout: z.string().optional(),
    stderr: z.string().optional(),
    reason: nullable(z.string()),
    additional_context: nullable(z.string()),
    error: nullable(z.string()),
    action_id: nullable(z.string()),
    message_id: nullable(z.string()),
    hook_input: nullable(z.record(z.string(), z.unknown())),
  }),
  z.strictObject({ kind: z.literal('LLMCompletionLogEvent'), ...event, filename: z.string(), log_data: z.string(), model_name: z.string().optional(), usage_id: z.string().optional() }),
]);

/** Why OpenHands' client would reject `value` as an event ('' when it parses). */
export function openHandsRejection(value: unknown): string {
  const parsed = OhEvent.safeParse(value);
  if (parsed.success) return '';
  const kind = (value as { kind?: unknown } | null)?.kind;
  return `${String(kind)}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; ')}`;
}

/** The kind of an event, with its action's or observation's kind: `ActionEvent[TerminalAction]`. */
export function detailedKind(value: { kind: string; action?: { kind: string } | null; observation?: { kind: string } }): string {
  const nested = value.action === undefined ? value.observation?.kind : (value.action?.kind ?? 'null');
  return nested === undefined ? value.kind : `${value.kind}[${nested}]`;
}
