import type { Event } from './events.js';

/**
 * What an event says as the agent's final word: a `finish` call's message, or the text of an agent
 * message; undefined for every other event. (A `finish` call whose arguments were invalid says ''.)
 */
export function finalResponseOf(event: Event): string | undefined {
  if (event.kind === 'ActionEvent' && event.source === 'agent' && event.tool_name === 'finish') {
    return event.action?.kind === 'FinishAction' ? event.action.message : '';
  }
  if (event.kind === 'MessageEvent' && event.source === 'agent') {
    let text = '';
    for (const part of event.llm_message.content) if (part.type === 'text') text += part.text;
    return text;
  }
  return undefined;
}

/** The agent's final response, as OpenHands defines it: the last `finish` message or agent message, whichever came last; '' when there is none. */
export function agentFinalResponse(events: readonly Event[]): string {
  for (let index = events.length - 1; index >= 0; index--) {
    const response = finalResponseOf(events[index]!);
    if (response !== undefined) return response;
  }
  return '';
}
