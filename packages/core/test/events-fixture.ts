import { type ActionEvent, type CompletionResponse, createEvent, DEFAULT_TOOLS, type Event, type ObservationEvent, textContent, type ToolCall, toWireAction } from '../src/index.js';

/** Small builders of events for the pure deciders' tests (no runtime, no HTTP); tools other than finish and think are custom (MCP on the wire). */
const wireAction = (tool: string, args: Record<string, unknown>) => {
  const builtin = DEFAULT_TOOLS.find((candidate) => candidate.name === tool);
  return builtin ? toWireAction(builtin, args) : ({ kind: 'MCPToolAction', data: args } as const);
};
export const call = (id: string, name: string, args: Record<string, unknown> | string): ToolCall => ({
  id,
  name,
  arguments: typeof args === 'string' ? args : JSON.stringify(args),
  origin: 'completion',
});

/** A model reply with no content, no calls and no usage, but for `fields`. */
export const completion = (fields: Partial<CompletionResponse>): CompletionResponse => ({
  id: 'resp-1',
  content: null,
  toolCalls: [],
  finishReason: 'stop',
  call: { model: 'm', responseId: 'resp-1', latencyMs: 1, cost: 0, usage: { prompt_tokens: 0, completion_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 } },
  ...fields,
});

export function action(id: string, tool: string, args: Record<string, unknown> | null, responseId = `r-${id}`): ActionEvent {
  return createEvent({
    kind: 'ActionEvent',
    source: 'agent',
    thought: [],
    action: args === null ? null : wireAction(tool, args),
    tool_name: tool,
    tool_call_id: id,
    tool_call: call(id, tool, args ?? {}),
    llm_response_id: responseId,
    security_risk: 'UNKNOWN',
  });
}

export function observation(of: ActionEvent, text: string, isError = false): ObservationEvent {
  return createEvent({
    kind: 'ObservationEvent',
    source: 'environment',
    observation: { kind: 'MCPToolObservation', content: [textContent(text)], is_error: isError, tool_name: of.tool_name },
    action_id: of.id,
    tool_name: of.tool_name,
    tool_call_id: of.tool_call_id,
  });
}

export function agentError(of: ActionEvent, error: string): Event {
  return createEvent({ kind: 'AgentErrorEvent', source: 'agent', error, tool_name: of.tool_name, tool_call_id: of.tool_call_id });
}

export function userMessage(text: string): Event {
  return createEvent({ kind: 'MessageEvent', source: 'user', llm_message: { role: 'user', content: [textContent(text)] }, activated_skills: [], extended_content: [] });
}

export function agentMessage(text: string): Event {
  return createEvent({ kind: 'MessageEvent', source: 'agent', llm_message: { role: 'assistant', content: [textContent(text)] }, activated_skills: [], extended_content: [] });
}
