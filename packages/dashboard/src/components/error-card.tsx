import type { WireEvent } from '../wire';
import { EventMeta } from './event-meta';

/** An error of a tool call (AgentErrorEvent) or of the conversation (ConversationErrorEvent). */
export function ErrorCard({ event }: { event: WireEvent }) {
  const title = event.kind === 'AgentErrorEvent' ? `✕ ${String(event.tool_name ?? 'tool')} failed` : `✕ ${String(event.code ?? 'error')}`;
  const detail = typeof event.error === 'string' ? event.error : String(event.detail ?? '');
  return (
    <article class="card error-card" data-testid="event" data-kind={event.kind}>
      <header>
        <strong>{title}</strong>
        <EventMeta event={event} />
      </header>
      <pre class="output">{detail}</pre>
    </article>
  );
}
