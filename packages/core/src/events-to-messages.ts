import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import { type Content, contentText } from './content.js';
import {
  type ActionEvent,
  type ActionResultEvent,
  type Event,
  isActionResult,
  type MessageEvent,
  type Observation,
} from './events.js';

export const ERROR_OBSERVATION_HEADER = '[An error occurred during execution.]\n';

function toParts(content: readonly Content[]): ChatCompletionContentPart[] {
  const parts: ChatCompletionContentPart[] = [];
  for (const part of content) {
    if (part.type === 'text') parts.push({ type: 'text', text: part.text });
    else for (const url of part.image_urls) parts.push({ type: 'image_url', image_url: { url } });
  }
  return parts;
}

function messageEventToMessage(event: MessageEvent): ChatCompletionMessageParam {
  const content = [...event.llm_message.content, ...event.extended_content];
  if (event.llm_message.role === 'assistant') return { role: 'assistant', content: contentText(content) };
  if (event.llm_message.role === 'system') return { role: 'system', content: contentText(content) };
  const hasImage = content.some((part) => part.type === 'image');
  return { role: 'user', content: hasImage ? toParts(content) : contentText(content) };
}

/** The text the model sees of an observation: a failed one starts with the error header. */
export function observationText(observation: Observation): string {
  const text = contentText(observation.content);
  return observation.is_error ? ERROR_OBSERVATION_HEADER + text : text;
}

/** The text a tool message carries for the result of an action. */
export function resultText(result: ActionResultEvent): string {
  switch (result.kind) {
    case 'ObservationEvent':
      return observationText(result.observation);
    case 'UserRejectObservation':
      return `Action rejected: ${result.rejection_reason}`;
    case 'AgentErrorEvent':
      return result.error;
  }
}

function resultImages(result: ActionResultEvent): Content[] {
  return result.kind === 'ObservationEvent' ? result.observation.content.filter((part) => part.type === 'image') : [];
}

function isPlainUser(message: ChatCompletionMessageParam): message is ChatCompletionMessageParam & { role: 'user' } {
  return message.role === 'user';
}

/**
 * Turns the event history into Chat Completions messages.
 * - Actions of one model response (same `llm_response_id`) become one assistant message with all
 *   its tool calls; the thought and reasoning come from the first action.
 * - Each tool call's result follows its assistant message at once, wherever the result sits in the
 *   log (a user message may have been added while actions awaited confirmation), so the provider
 *   always sees tool results right after their calls. Calls without a result are left out.
 * - Images in tool results go in a user message after the tool messages (tool messages carry text only).
 * - Adjacent plain user messages are merged.
 */
export function eventsToMessages(events: readonly Event[]): ChatCompletionMessageParam[] {
  const resultsByCall = new Map<string, ActionResultEvent>();
  for (const event of events) if (isActionResult(event)) resultsByCall.set(event.tool_call_id, event);

  const messages: ChatCompletionMessageParam[] = [];
  const push = (message: ChatCompletionMessageParam) => {
    const last = messages.at(-1);
    if (last && isPlainUser(last) && isPlainUser(message)) {
      last.content = mergeUserContent(last.content, message.content);
      return;
    }
    messages.push(message);
  };

  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    switch (event.kind) {
      case 'SystemPromptEvent':
        push({ role: 'system', content: event.system_prompt.text });
        break;
      case 'MessageEvent':
        push(messageEventToMessage(event));
        break;
      case 'ActionEvent': {
        const batch: ActionEvent[] = [event];
        while (index + 1 < events.length) {
          const next = events[index + 1]!;
          if (next.kind !== 'ActionEvent' || next.llm_response_id !== event.llm_response_id) break;
          batch.push(next);
          index++;
        }
        pushBatch(batch, resultsByCall, push);
        break;
      }
      default:
        // Results are placed with their batch; other kinds are not shown to the model.
        break;
    }
  }
  return messages;
}

function pushBatch(
  batch: ActionEvent[],
  resultsByCall: Map<string, ActionResultEvent>,
  push: (message: ChatCompletionMessageParam) => void,
): void {
  const answered = batch.filter((action) => resultsByCall.has(action.tool_call_id));
  const thought = contentText(batch[0]!.thought);
  if (answered.length === 0) {
    if (thought) push({ role: 'assistant', content: thought });
    return;
  }
  const toolCalls: ChatCompletionMessageToolCall[] = answered.map((action) => ({
    id: action.tool_call_id,
    type: 'function',
    function: { name: action.tool_call.function.name, arguments: action.tool_call.function.arguments },
  }));
  push({ role: 'assistant', content: thought || null, tool_calls: toolCalls });
  const images: Content[] = [];
  for (const action of answered) {
    const result = resultsByCall.get(action.tool_call_id)!;
    push({ role: 'tool', tool_call_id: action.tool_call_id, content: resultText(result) });
    images.push(...resultImages(result));
  }
  if (images.length > 0) push({ role: 'user', content: toParts(images) });
}

function mergeUserContent(
  a: string | ChatCompletionContentPart[],
  b: string | ChatCompletionContentPart[],
): string | ChatCompletionContentPart[] {
  if (typeof a === 'string' && typeof b === 'string') return `${a}\n\n${b}`;
  const parts = (value: string | ChatCompletionContentPart[]): ChatCompletionContentPart[] =>
    typeof value === 'string' ? [{ type: 'text', text: value }] : value;
  return [...parts(a), ...parts(b)];
}
