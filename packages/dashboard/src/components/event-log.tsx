import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WireEvent } from '../wire';
import { EventCard } from './event-card';
import { StreamingReply } from './streaming-reply';

/** Events rendered at first; older ones on request (a long conversation stays quick to open). */
const SHOWN_AT_FIRST = 300;

/** The conversation's events in order, following the newest while the view is at the bottom. */
export function EventLog({ events, streaming }: { events: readonly WireEvent[]; streaming: { content: string; reasoning: string } }) {
  const [showAll, setShowAll] = useState(false);
  const end = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      follow.current = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    if (follow.current) end.current?.scrollIntoView({ block: 'end' });
  }, [events.length, streaming]);
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
      <div ref={end} />
    </section>
  );
}
