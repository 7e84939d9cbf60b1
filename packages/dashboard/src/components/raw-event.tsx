import type { WireEvent } from '../wire';
import { EventMeta } from './event-meta';

/** An event of a kind the dashboard does not know: shown as it came. */
export function RawEvent({ event }: { event: WireEvent }) {
  return (
    <details class="card raw" data-testid="event" data-kind={event.kind}>
      <summary>
        {event.kind} <EventMeta event={event} label="" />
      </summary>
      <pre class="output">{JSON.stringify(event, null, 2)}</pre>
    </details>
  );
}
