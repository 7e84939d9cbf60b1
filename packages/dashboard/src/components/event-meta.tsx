import { formatTime } from '../format';
import type { WireEvent } from '../wire';

/** The corner of a card: the event's kind and time. */
export function EventMeta({ event, label }: { event: WireEvent; label?: string }) {
  return (
    <span class="event-meta">
      {(label ?? event.kind) ? `${label ?? event.kind} · ` : ''}
      {formatTime(event.timestamp)}
    </span>
  );
}
