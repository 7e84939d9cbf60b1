import { actionArguments, previewValue, thinkingOf, thoughtOf } from '../events/event-fields';
import type { WireEvent } from '../wire';
import { EventMeta } from './event-meta';
import { Thinking } from './thinking';

/** A tool call: the model's thought, its reasoning, the tool and each argument. */
export function ActionCard({ event }: { event: WireEvent }) {
  const { kind, args, raw } = actionArguments(event);
  const thought = thoughtOf(event);
  const risk = typeof event.security_risk === 'string' && event.security_risk !== 'UNKNOWN' ? event.security_risk : null;
  return (
    <article class="card action" data-testid="event" data-kind="ActionEvent" data-tool={String(event.tool_name ?? '')}>
      <header>
        <strong>
          ▶ {String(event.tool_name ?? 'action')}
          {kind && <span class="muted"> {kind}</span>}
        </strong>
        {risk && <span class={`risk risk-${risk}`}>risk {risk}</span>}
        <EventMeta event={event} label="action" />
      </header>
      <Thinking text={thinkingOf(event)} />
      {thought && <div class="text thought">{thought}</div>}
      {args && (
        <dl class="args" data-testid="action-args">
          {Object.entries(args).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <pre>{previewValue(value, 4_000)}</pre>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {raw !== null && (
        <p class="error">
          Arguments that are not valid JSON: <code>{previewValue(raw)}</code>
        </p>
      )}
      {event.action === null && <p class="muted">Not executable (unknown tool or invalid arguments): an error result follows.</p>}
    </article>
  );
}
