import type { ConversationSnapshot } from './conversation-snapshot.js';
import { type ConversationStore, type Durability, type PersistPoint, persistPolicy } from './conversation-store.js';
import { errorMessage } from './errors.js';
import { createEvent, type Event, type EventInit } from './events.js';
import type { TokenDelta } from './language-model.js';
import type { Logger } from './logger.js';
import type { SecretRegistry } from './secret-registry.js';

export interface EventJournalOptions {
  secrets: SecretRegistry;
  logger: Logger;
  store: ConversationStore | undefined;
  durability: Durability;
  /** Every event, in order, including the live-only streaming deltas (`seq` null). */
  onEvent: ((event: Event, seq: number | null) => void) | undefined;
}

/**
 * A conversation's event log as the runtime writes it: every event is stamped, masked of secrets,
 * appended, handed to the store and to the listener; `persist` writes at the points the
 * durability mode asks for.
 */
export class EventJournal {
  readonly events: Event[] = [];
  readonly #options: EventJournalOptions;
  /** The time of the newest event appended since the journal was opened. */
  lastAppendedAt: string | undefined;

  constructor(options: EventJournalOptions, restored: readonly Event[] = []) {
    this.#options = options;
    this.events.push(...restored);
  }

  /** Appends an event; `id` is for pre-assigned ids (a queued message keeps the id it was acknowledged with). */
  append<E extends EventInit>(init: E, id?: string): Event {
    const event = this.#options.secrets.maskDeep({ ...createEvent(init), ...(id ? { id } : {}) }) as unknown as Event;
    const seq = this.events.length;
    this.events.push(event);
    this.lastAppendedAt = event.timestamp;
    this.#options.store?.append(seq, event);
    this.#notify(event, seq);
    return event;
  }

  /**
   * Adds events copied from another conversation (a fork) as they are, ids and times kept: stored
   * with the log, not announced (they are not news to anyone).
   */
  copy(events: readonly Event[]): void {
    for (const event of events) {
      this.#options.store?.append(this.events.length, event);
      this.events.push(event);
    }
  }

  /** A streamed piece of the model's reply (a `StreamingDeltaEvent`): live only, never in the log. */
  delta(delta: TokenDelta): void {
    const event = createEvent({ kind: 'StreamingDeltaEvent', source: 'agent', ...delta });
    this.#notify(this.#options.secrets.maskDeep(event), null);
  }

  #notify(event: Event, seq: number | null): void {
    try {
      this.#options.onEvent?.(event, seq);
    } catch (error) {
      this.#options.logger.error('An event listener threw; the event is kept and the run goes on.', { error: errorMessage(error) });
    }
  }

  /** Writes what the durability mode asks for at `point`: the buffered events, and the snapshot at boundaries. */
  async persist(point: PersistPoint, snapshot: () => ConversationSnapshot): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    const { write, sync } = persistPolicy(this.#options.durability, point);
    if (!write) return;
    await store.persist(point === 'event' || point === 'side_effect' ? null : snapshot(), sync);
  }

  async close(): Promise<void> {
    await this.#options.store?.close();
  }
}
