/**
 * Whether a handle's actor sends it the events: only once someone subscribed (callbacks from the
 * start, the first event listener or stream later); until then the actor sends only how far its log
 * got. A late subscriber starts from the count the handle was last told, so it gets what it would
 * have been sent had it always listened.
 */
export class EventSubscription {
  #wanted: boolean;
  /** The log's length the actor's mail told since it was ready (null: no mail yet). */
  #told: number | null = null;

  constructor(wanted: boolean) {
    this.#wanted = wanted;
  }

  get wanted(): boolean {
    return this.#wanted;
  }

  /** A (new) actor is ready: it has told nothing yet. */
  connected(): void {
    this.#told = null;
  }

  /** The actor's mail says its log holds `count` events. */
  told(count: number): void {
    this.#told = count;
  }

  /**
   * The first subscriber: the `from` of the `subscribe_events` command (null before the actor is
   * ready: all it appended since it opened), or undefined when subscribed already.
   */
  subscribe(actorReady: boolean): { from: number | null } | undefined {
    if (this.#wanted) return undefined;
    this.#wanted = true;
    return { from: actorReady ? this.#told : null };
  }
}
