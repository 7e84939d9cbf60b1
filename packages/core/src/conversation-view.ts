import type { Condensation } from './condenser-events.js';
import { textContent } from './content.js';
import { type Event, isLLMConvertible, type LLMConvertibleEvent, type MessageEvent } from './events.js';

/**
 * What the model sees of a conversation: its events with every `Condensation` applied in order
 * (forgotten events removed, each summary put where it says). A pure function of the events, so a
 * resumed conversation sees exactly what it saw before; `eventsToMessages` turns it into a request.
 */
export interface View {
  readonly events: readonly LLMConvertibleEvent[];
  /** A `CondensationRequest` came after the last `Condensation`: the next step must condense. */
  readonly condensationRequested: boolean;
}

/** The id of the summary a condensation puts in the view: later condensations forget it by this id. */
export function summaryEventId(condensation: Pick<Condensation, 'id'>): string {
  return `${condensation.id}-summary`;
}

/**
 * A condensation's summary as the model sees it: a message in the user's turn (OpenHands'
 * `CondensationSummaryEvent`). It exists only in the view, never in the log.
 */
export function summaryEvent(condensation: Condensation & { summary: string }): MessageEvent {
  return {
    kind: 'MessageEvent',
    id: summaryEventId(condensation),
    timestamp: condensation.timestamp,
    source: 'environment',
    llm_message: { role: 'user', content: [textContent(condensation.summary)] },
    activated_skills: [],
    extended_content: [],
  };
}

/** The view after one condensation: the forgotten events removed, then the summary inserted at its offset. */
export function applyCondensation(events: readonly LLMConvertibleEvent[], condensation: Condensation): LLMConvertibleEvent[] {
  const forgotten = new Set(condensation.forgotten_event_ids ?? []);
  const kept = events.filter((event) => !forgotten.has(event.id));
  const { summary, summary_offset: offset } = condensation;
  if (summary != null && offset != null) kept.splice(Math.min(offset, kept.length), 0, summaryEvent({ ...condensation, summary }));
  return kept;
}

/**
 * A view kept up to date as the log grows: each call reads only the events appended since the
 * last one (a condensation costs one pass over the view), so a step does not rebuild the view from
 * the whole log. Its result is always `viewOf(events)`.
 */
export class ConversationView implements View {
  #events: LLMConvertibleEvent[] = [];
  #requested = false;
  /** Events of the log read so far. */
  #read = 0;
  #condensations = 0;

  get events(): readonly LLMConvertibleEvent[] {
    return this.#events;
  }

  /** Condensations applied so far: the view only grew at its end while this stayed the same. */
  get condensations(): number {
    return this.#condensations;
  }

  get condensationRequested(): boolean {
    return this.#requested;
  }

  /** Brings the view up to date with an append-only log and returns it. */
  update(log: readonly Event[]): View {
    for (; this.#read < log.length; this.#read++) this.#add(log[this.#read]!);
    return this;
  }

  #add(event: Event): void {
    if (event.kind === 'Condensation') {
      this.#events = applyCondensation(this.#events, event);
      this.#condensations++;
      this.#requested = false;
    } else if (event.kind === 'CondensationRequest') {
      this.#requested = true;
    } else if (isLLMConvertible(event)) {
      this.#events.push(event);
    }
  }
}

/** The view of a whole log, from scratch. */
export function viewOf(events: readonly Event[]): View {
  const view = new ConversationView().update(events);
  return { events: [...view.events], condensationRequested: view.condensationRequested };
}
