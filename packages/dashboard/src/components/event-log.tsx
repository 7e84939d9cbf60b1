import type { Signal } from '@preact/signals';
import { useState } from 'preact/hooks';
import type { WireEvent } from '../wire';
import { EventCard } from './event-card';
import { StreamingReply } from './streaming-reply';
import { useFollowBottom } from './use-follow-bottom';

/** Events rendered at first; older ones on request (a long conversation stays quick to open). */
const SHOWN_AT_FIRST = 300;

/**
 * The conversation's events in order, following the newest while the view is at the bottom. The
 * streaming reply reads its own signal: a streamed token renders only that card.
 */
export function EventLog({ events, streaming }: { events: readonly WireEvent[]; streaming: Signal<{ content: string; reasoning: string }> }) {
  const [showAll, setShowAll] = useState(false);
  useFollowBottom(events.length);
  const hidden = showAll ? 0 : Math.max(0, events.length - SHOWN_AT_FIRST);
  return (
    <section class="event-log" data-testid="event-log" data-count={events.length}>
      {hidden > 0 && (
        <button type="button" class="link" onClick={() => setShowAll(true)}>
          Show {hidden} earlier events
        </button>
      )}
      {events.slice(hidden).map((event, index) => (
        <EventCard key={event.id ?? `${hidden + index}`} event={event} />
      ))}
      <StreamingReply streaming={streaming} />
    </section>
  );
}
