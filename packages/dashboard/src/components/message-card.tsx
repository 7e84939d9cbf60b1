import { messageOf, thinkingOf } from '../events/event-fields';
import type { WireEvent } from '../wire';
import { EventMeta } from './event-meta';
import { Thinking } from './thinking';

export function MessageCard({ event }: { event: WireEvent }) {
  const { role, text } = messageOf(event);
  const sender = typeof event.sender === 'string' ? ` (${event.sender})` : '';
  const who = event.source === 'environment' ? 'system note' : role === 'assistant' ? 'agent' : role;
  return (
    <article class={`card message message-${event.source ?? role}`} data-testid="event" data-kind="MessageEvent" data-source={String(event.source ?? '')}>
      <header>
        <strong>{who}{sender}</strong>
        <EventMeta event={event} label="message" />
      </header>
      <Thinking text={thinkingOf(event)} />
      <div class="text">{text}</div>
    </article>
  );
}
