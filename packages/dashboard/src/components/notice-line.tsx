import { previewValue } from '../events/event-fields';
import type { WireEvent } from '../wire';
import { EventMeta } from './event-meta';

function noticeText(event: WireEvent): string {
  switch (event.kind) {
    case 'PauseEvent':
      return `Paused${typeof event.reason === 'string' ? `: ${event.reason}` : ''}`;
    case 'InterruptEvent':
      return `Interrupted${typeof event.reason === 'string' ? `: ${event.reason}` : ''}`;
    case 'UserRejectObservation':
      return `Rejected ${String(event.tool_name ?? 'action')}: ${String(event.rejection_reason ?? '')}`;
    case 'ConversationStateUpdateEvent':
      return event.key === 'execution_status' ? `Status: ${String(event.value)}` : `${String(event.key)}: ${previewValue(event.value, 200)}`;
    default:
      return event.kind;
  }
}

/** A one-line event: status changes, pauses, interrupts, rejections. */
export function NoticeLine({ event }: { event: WireEvent }) {
  return (
    <div class={`notice notice-${event.kind}`} data-testid="event" data-kind={event.kind} data-key={typeof event.key === 'string' ? event.key : undefined}>
      <span>{noticeText(event)}</span>
      <EventMeta event={event} label="" />
    </div>
  );
}
