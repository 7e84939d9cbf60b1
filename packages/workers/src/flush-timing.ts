/** How long news only the handle's mirror shows may wait for company (see `FlushTiming`). */
export const MIRROR_DELAY_MS = 10;

/**
 * When an actor's next batch of mail leaves for its handle. Events someone listens to, and a change
 * of status, go at the next turn of the event loop; news that only the handle's mirrored state shows
 * (the log's length, the stats) waits up to `MIRROR_DELAY_MS` and leaves with whatever follows. Each
 * batch wakes the main thread, which costs more than the batch itself when steps come a millisecond
 * apart (a fast model, quick tools).
 */
export class FlushTiming {
  readonly #flush: () => void;
  #immediate = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(flush: () => void) {
    this.#flush = flush;
  }

  /** At the next turn of the event loop. */
  soon(): void {
    if (this.#immediate) return;
    this.#immediate = true;
    setImmediate(() => this.#fire());
  }

  /** Within `MIRROR_DELAY_MS`, or sooner if `soon` is asked meanwhile. */
  later(): void {
    if (this.#immediate || this.#timer) return;
    this.#timer = setTimeout(() => this.#fire(), MIRROR_DELAY_MS);
  }

  /** The batch was sent otherwise: nothing is due (a callback still on its way finds nothing to send). */
  reset(): void {
    this.#immediate = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    if (!this.#immediate && !this.#timer) return;
    this.reset();
    this.#flush();
  }
}
