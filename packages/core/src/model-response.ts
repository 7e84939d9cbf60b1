import { textContent } from './content.js';
import type { ActionEvent, AgentErrorEvent, MessageEvent } from './events.js';
import type { CompletionResponse } from './language-model.js';
import type { ToolDefinition } from './tool.js';
import { parseToolCall } from './tool-call-parsing.js';
import { toWireAction } from './tool-wire-form.js';

export const NO_ACTION_NUDGE =
  'Your last response did not include a function call or a message. Please use a tool to continue, or call `finish` when the task is done.';

/** What a model response means for the loop. */
export type ResponseOutcome =
  /** Plain text: the turn is complete. */
  | 'finished'
  /** Tool calls to execute. */
  | 'act'
  /** Neither text nor tool calls: the model is nudged and the loop goes on. */
  | 'nudge';

type Init<E> = Omit<E, 'id' | 'timestamp'>;

export interface ResolvedResponse {
  outcome: ResponseOutcome;
  /** Events to append, in order (the caller stamps ids and times): actions first (one batch), then errors for calls that cannot run. */
  events: Array<Init<MessageEvent> | Init<ActionEvent> | Init<AgentErrorEvent>>;
  /** Indexes in `events` of the actions to execute (valid calls up to and including the first `finish`). */
  executable: number[];
}

/**
 * Decides what a model response becomes. Pure: no ids, no clock (the caller stamps the events), and
 * it never throws on bad model output.
 */
export function resolveModelResponse(response: CompletionResponse, tools: ReadonlyMap<string, ToolDefinition>): ResolvedResponse {
  // What the model thought goes with the message, or with the first action of the batch, as it came.
  const reasoning = {
    ...(response.reasoningContent ? { reasoning_content: response.reasoningContent } : {}),
    ...(response.thinkingBlocks?.length ? { thinking_blocks: response.thinkingBlocks } : {}),
    ...(response.responsesReasoningItem ? { responses_reasoning_item: response.responsesReasoningItem } : {}),
  };
  if (response.toolCalls.length === 0) {
    const text = response.content ?? '';
    const message: Init<MessageEvent> = {
      kind: 'MessageEvent',
      source: 'agent',
      llm_message: { role: 'assistant', content: [textContent(text)], ...reasoning },
      llm_response_id: response.id,
      activated_skills: [],
      extended_content: [],
    };
    if (text.trim().length > 0) return { outcome: 'finished', events: [message], executable: [] };
    const nudge: Init<MessageEvent> = {
      kind: 'MessageEvent',
      source: 'environment',
      llm_message: { role: 'user', content: [textContent(NO_ACTION_NUDGE)] },
      activated_skills: [],
      extended_content: [],
    };
    return { outcome: 'nudge', events: [message, nudge], executable: [] };
  }

  const actions: Init<ActionEvent>[] = [];
  const errors: Init<AgentErrorEvent>[] = [];
  const executable: number[] = [];
  let finishSeen = false;
  response.toolCalls.forEach((call, index) => {
    const parsed = parseToolCall(call, tools);
    const first = index === 0;
    const action: Init<ActionEvent> = {
      kind: 'ActionEvent',
      source: 'agent',
      thought: first && response.content ? [textContent(response.content)] : [],
      ...(first ? reasoning : {}),
      action: parsed.ok ? toWireAction(parsed.tool, parsed.args) : null,
      tool_name: parsed.ok ? parsed.tool.name : parsed.toolName,
      tool_call_id: call.id,
      tool_call: parsed.ok ? call : { ...call, arguments: parsed.historyArguments },
      llm_response_id: response.id,
      security_risk: parsed.ok ? parsed.securityRisk : 'UNKNOWN',
    };
    actions.push(action);
    const error = (text: string) => errors.push({ kind: 'AgentErrorEvent', source: 'agent', error: text, tool_name: action.tool_name, tool_call_id: call.id });
    if (!parsed.ok) error(parsed.error);
    else if (finishSeen) error('Not executed: `finish` was called earlier in the same response.');
    else {
      executable.push(index);
      finishSeen = parsed.tool.finishesRun === true;
    }
  });
  return { outcome: 'act', events: [...actions, ...errors], executable };
}
