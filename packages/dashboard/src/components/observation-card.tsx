import { observationOf, previewValue } from '../events/event-fields';
import type { WireEvent } from '../wire';
import { EventMeta } from './event-meta';

/** Fields of an observation not worth a line of their own. */
const QUIET_FIELDS = new Set(['metadata', 'full_output_save_dir', 'old_content', 'new_content']);

/** What a tool returned: its output, whether it failed, and its own fields (exit code, path…). */
export function ObservationCard({ event }: { event: WireEvent }) {
  const { kind, text, isError, extra } = observationOf(event);
  const facts = Object.entries(extra).filter(([name, value]) => value !== null && value !== undefined && !QUIET_FIELDS.has(name));
  return (
    <article class={`card observation${isError ? ' failed' : ''}`} data-testid="event" data-kind="ObservationEvent">
      <header>
        <strong>
          ◀ {String(event.tool_name ?? 'result')}
          {kind && <span class="muted"> {kind}</span>}
          {isError && <span class="bad"> error</span>}
        </strong>
        <EventMeta event={event} label="observation" />
      </header>
      {facts.length > 0 && (
        <div class="facts">
          {facts.map(([name, value]) => (
            <span key={name} class="fact">
              {name}: {previewValue(value, 120)}
            </span>
          ))}
        </div>
      )}
      <pre class="output">{text}</pre>
    </article>
  );
}
