import { actionArguments, contentText, type Event } from '@troupe/core';

const WIDTH = 160;

function oneLine(text: string, width = WIDTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** One line per event, for `troupe run`; null for events not worth a line (streamed pieces). */
export function formatEvent(event: Event): string | null {
  switch (event.kind) {
    case 'SystemPromptEvent':
      return `system   prompt with ${event.tools.length} tools: ${event.tools.map((tool) => tool.title).join(', ')}`;
    case 'MessageEvent':
      return `${event.source === 'user' ? 'user   ' : event.source === 'agent' ? 'agent  ' : 'env    '}  ${oneLine(contentText(event.llm_message.content))}`;
    case 'ActionEvent': {
      const thought = contentText(event.thought);
      const args = event.action ? actionArguments(event.action) : {};
      return `action   ${event.tool_name} ${oneLine(JSON.stringify(args), 120)}${thought ? `  — ${oneLine(thought, 80)}` : ''}`;
    }
    case 'ObservationEvent':
      return `${event.observation.is_error ? 'error  ' : 'result '}  ${event.tool_name}: ${oneLine(contentText(event.observation.content))}`;
    case 'UserRejectObservation':
      return `rejected ${event.tool_name}: ${oneLine(event.rejection_reason)}`;
    case 'AgentErrorEvent':
      return `error    ${event.tool_name}: ${oneLine(event.error)}`;
    case 'PauseEvent':
      return 'paused';
    case 'InterruptEvent':
      return 'interrupted';
    case 'ConversationStateUpdateEvent':
      return event.key === 'execution_status' ? `status   ${String(event.value)}` : `state    ${event.key} = ${oneLine(JSON.stringify(event.value), 80)}`;
    case 'ConversationErrorEvent':
      return `error    ${event.code}: ${oneLine(event.detail)}`;
    case 'StreamingDeltaEvent':
      return null;
    case 'CondensationRequest':
      return 'condense requested';
    case 'Condensation':
      return `condense ${(event.forgotten_event_ids ?? []).length} events summarized${event.summary ? `: ${oneLine(event.summary, 120)}` : ''}`;
    default:
      return `${(event as { kind: string }).kind}`;
  }
}
