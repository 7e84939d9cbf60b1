import type { Event } from '@troupe/core';

export interface EventStreamOptions {
  /** End once the conversation is not running and every event so far was delivered. Default: run until close. */
  untilIdle?: boolean;
  /** Live events held for a slow reader before it is switched to reading the log. Default 1000. */
  bufferSize?: number;
}

export interface EventStreamSource {
  /** Events `from`.. of the conversation's log, at most `limit`. */
  fetch(from: number, limit: number): Promise<Event[]>;
  /** How many events the log holds, as far as the handle knows. */
  knownCount(): number;
  /** Whether the conversation has stopped running. */
  isSettled(): boolean;
  detach(): void;
}

const PAGE = 500;

/**
 * An async iterator over a conversation's events by sequence number. Live events are buffered
 * up to a bound; past it the buffer is dropped and the reader catches up from the actor's log,
 * so memory stays bounded and every event is delivered exactly once, in order.
 */
export class EventStream implements AsyncIterableIterator<Event> {
  #next: number;
  #queue: { seq: number; event: Event }[] = [];
  #overflowed = false;
  #ended = false;
  #waiter: (() => void) | null = null;
  readonly #bufferSize: number;

  constructor(
    fromIndex: number,
    readonly options: EventStreamOptions,
    readonly source: EventStreamSource,
  ) {
    this.#next = fromIndex;
    this.#bufferSize = options.bufferSize ?? 1000;
  }

  push(seq: number, event: Event): void {
    if (seq < this.#next || this.#overflowed) return;
    if (this.#queue.length >= this.#bufferSize) {
      this.#overflowed = true;
      this.#queue = [];
      return;
    }
    this.#queue.push({ seq, event });
  }

  wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.();
  }

  end(): void {
    this.#ended = true;
    this.wake();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Event> {
    return this;
  }

  async next(): Promise<IteratorResult<Event>> {
    for (;;) {
      while (this.#queue.length > 0 && this.#queue[0]!.seq < this.#next) this.#queue.shift();
      const head = this.#queue[0];
      if (head && head.seq === this.#next) {
        this.#queue.shift();
        this.#next++;
        return { value: head.event, done: false };
      }
      if (this.#next < this.source.knownCount()) {
        await this.#catchUp();
        continue;
      }
      if (this.#ended || (this.options.untilIdle && this.source.isSettled())) return this.return();
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
  }

  /** Reads the gap before the buffered live events from the log. */
  async #catchUp(): Promise<void> {
    this.#overflowed = false;
    const page = await this.source.fetch(this.#next, PAGE);
    if (page.length === 0) {
      // The log is shorter than announced (the conversation was restored): wait for news.
      await new Promise<void>((resolve) => (this.#waiter = resolve));
      return;
    }
    const fetched = page.map((event, index) => ({ seq: this.#next + index, event }));
    const last = fetched.at(-1)!.seq;
    this.#queue = [...fetched, ...this.#queue.filter((item) => item.seq > last)];
  }

  async return(): Promise<IteratorResult<Event>> {
    this.#ended = true;
    this.source.detach();
    return { value: undefined, done: true };
  }
}
