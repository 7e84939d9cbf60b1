import { type Content, contentText, type Message, textContent } from './content.js';
import { type ActionEvent, type ActionResultEvent, type Event, isActionResult, type MessageEvent } from './events.js';
import type { Observation } from './tool-observations.js';

export const ERROR_OBSERVATION_HEADER = '[An error occurred during execution.]\n';

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

function resultContent(result: ActionResultEvent, hookContext: readonly string[]): Content[] {
  const images = result.kind === 'ObservationEvent' ? result.observation.content.filter((part) => part.type === 'image') : [];
  return [textContent(resultText(result)), ...images, ...hookContext.map((context) => textContent(context))];
}

/** Adds the context a PostToolUse hook event gives an action's result; returns the action's id when it did. */
export function addHookContext(contexts: Map<string, string[]>, event: Event): string | undefined {
  if (event.kind !== 'HookExecutionEvent' || event.hook_event_type !== 'PostToolUse' || !event.additional_context || !event.action_id) return undefined;
  contexts.set(event.action_id, [...(contexts.get(event.action_id) ?? []), event.additional_context]);
  return event.action_id;
}

/** The context PostToolUse hooks added to each action's result, by action id. */
function postToolUseContext(events: readonly Event[]): Map<string, string[]> {
  const contexts = new Map<string, string[]>();
  for (const event of events) addHookContext(contexts, event);
  return contexts;
}

export function messageOf(event: MessageEvent): Message {
  const { llm_message: message } = event;
  return event.extended_content.length > 0 ? { ...message, content: [...message.content, ...event.extended_content] } : message;
}

/**
 * Turns the event history into the provider-neutral messages of a model request.
 * - Actions of one model response (same `llm_response_id`) become one assistant message with all
 *   its tool calls; the thought and reasoning (text, Anthropic thinking blocks, the Responses
 *   reasoning item) come from the first action, unchanged.
 * - Each tool call's result follows its assistant message at once, wherever the result sits in the
 *   log (a user message may have been added while actions awaited confirmation), so the provider
 *   always sees tool results right after their calls. Calls without a result are left out.
 * - A tool message carries the result's text (with the error header when it failed) and its images;
 *   how a provider carries images of tool results is its adapter's business.
 * - With `images: false` (a model without vision, by its capabilities) every image becomes a short
 *   text saying it was left out, so the model knows there was one.
 * - User messages in `blockedMessages` (a UserPromptSubmit hook blocked them) are left out; the
 *   context PostToolUse hooks added to a result follows its text in the tool message (read from
 *   `hookEventsFrom`, the whole log, when `events` is a condensed view without hook events).
 */
export function eventsToMessages(
  events: readonly Event[],
  options: { images?: boolean; blockedMessages?: ReadonlySet<string>; hookEventsFrom?: readonly Event[] } = {},
): Message[] {
  const resultsByCall = new Map<string, ActionResultEvent>();
  for (const event of events) if (isActionResult(event)) resultsByCall.set(event.tool_call_id, event);
  const hookContext = postToolUseContext(options.hookEventsFrom ?? events);

  const messages: Message[] = [];
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    switch (event.kind) {
      case 'SystemPromptEvent':
        messages.push({ role: 'system', content: [event.system_prompt] });
        break;
      case 'MessageEvent':
        if (!options.blockedMessages?.has(event.id)) messages.push(messageOf(event));
        break;
      case 'ActionEvent': {
        const batch: ActionEvent[] = [event];
        while (index + 1 < events.length) {
          const next = events[index + 1]!;
          if (next.kind !== 'ActionEvent' || next.llm_response_id !== event.llm_response_id) break;
          batch.push(next);
          index++;
        }
        pushBatch(batch, resultsByCall, hookContext, messages);
        break;
      }
      default:
        // Results are placed with their batch; other kinds are not shown to the model.
        break;
    }
  }
  return options.images === false ? messages.map(withoutImages) : messages;
}

export const IMAGE_LEFT_OUT_NOTE = '[An image was left out: this model does not accept images.]';

export function withoutImages(message: Message): Message {
  if (!message.content.some((part) => part.type === 'image')) return message;
  return { ...message, content: message.content.map((part) => (part.type === 'image' ? textContent(IMAGE_LEFT_OUT_NOTE) : part)) };
}

/** The messages of one model response's actions (same `llm_response_id`): its assistant message and each answered call's result. */
export function pushBatch(batch: readonly ActionEvent[], resultsByCall: ReadonlyMap<string, ActionResultEvent>, hookContext: ReadonlyMap<string, string[]>, messages: Message[]): void {
  const first = batch[0]!;
  const answered = batch.filter((action) => resultsByCall.has(action.tool_call_id));
  const reasoning = {
    ...(first.reasoning_content ? { reasoning_content: first.reasoning_content } : {}),
    ...(first.thinking_blocks?.length ? { thinking_blocks: first.thinking_blocks } : {}),
    ...(first.responses_reasoning_item ? { responses_reasoning_item: first.responses_reasoning_item } : {}),
  };
  if (answered.length === 0) {
    if (contentText(first.thought)) messages.push({ role: 'assistant', content: first.thought, ...reasoning });
    return;
  }
  messages.push({ role: 'assistant', content: first.thought, tool_calls: answered.map((action) => action.tool_call), ...reasoning });
  for (const action of answered) {
    messages.push({ role: 'tool', tool_call_id: action.tool_call_id, name: action.tool_name, content: resultContent(resultsByCall.get(action.tool_call_id)!, hookContext.get(action.id) ?? []) });
  }
}
