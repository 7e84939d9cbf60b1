import type { ConversationStatus, Event } from '@troupe/core';
import { EventEmitter } from 'eventemitter3';
import { CallbackQueue } from './callback-queue.js';
import type { ConversationCallback, ConversationEvents, ConversationState } from './conversation-handle.js';
import { EventStream, type EventStreamOptions } from './event-stream.js';

/** An event with its sequence number in the log (null for live-only token events). */
export interface DeliveredEvent {
  seq: number | null;
  event: Event;
}

/**
 * What every conversation handle shares, wherever its conversation runs: the emitter (`on`,
 * `once`, `off`), the callbacks run in order, and `stream()` over the log (live events buffered,
 * the rest read through `getEvents`). A handle feeds it with `deliver`.
 */
export abstract class ConversationHandleBase {
  readonly id: string;
  readonly #emitter = new EventEmitter<ConversationEvents>();
  /** Only with callbacks, and streams once one is open: most handles have neither. */
  readonly #callbacks: CallbackQueue | undefined;
  #streams: Set<EventStream> | undefined;

  constructor(id: string, callbacks: readonly ConversationCallback[] = []) {
    this.id = id;
    if (callbacks.length > 0) this.#callbacks = new CallbackQueue(id, callbacks, (error, event) => this.#emitter.emit('error', error, event));
  }

  abstract get state(): ConversationState;
  abstract getEvents(from?: number, limit?: number): Promise<Event[]>;
  /** No more events will come without a new run (not running, or closed). */
  protected abstract get settled(): boolean;

  get status(): ConversationStatus {
    return this.state.status;
  }

  /** A listener is added for `event` (a handle may start forwarding tokens or events then). */
  protected onListen(_event: keyof ConversationEvents): void {}

  /** A stream is opened (a handle may start forwarding events then). */
  protected onStream(): void {}

  on<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.onListen(event);
    this.#emitter.on(event, listener as never);
    return this;
  }

  once<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.onListen(event);
    this.#emitter.once(event, listener as never);
    return this;
  }

  off<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.#emitter.off(event, listener as never);
    return this;
  }

  /**
   * Events as an async iterator, from `fromIndex` (default 0: the whole history, then live).
   * Memory stays bounded: a slow reader is served from the log instead of a growing buffer, and no
   * event is dropped or repeated.
   */
  stream(fromIndex = 0, options: EventStreamOptions = {}): AsyncIterableIterator<Event> {
    this.onStream();
    const stream = new EventStream(fromIndex, options, {
      fetch: (from, limit) => this.getEvents(from, limit),
      knownCount: () => this.state.eventCount,
      isSettled: () => this.settled,
      detach: () => this.#streams?.delete(stream),
    });
    (this.#streams ??= new Set()).add(stream);
    return stream;
  }

  /** Hands new events to listeners, streams and callbacks, in order. */
  protected deliver(events: readonly DeliveredEvent[]): void {
    for (const { seq, event } of events) {
      this.#emitter.emit('event', event, seq);
      if (event.kind === 'StreamingDeltaEvent') {
        this.#emitter.emit('delta', event);
        continue;
      }
      if (this.#streams) for (const stream of this.#streams) stream.push(seq!, event);
      this.#callbacks?.push(event);
    }
    this.wakeStreams();
  }

  protected emitStatus(status: ConversationStatus): void {
    this.#emitter.emit('status', status);
    this.wakeStreams();
  }

  /** Streams re-check their state (a status or count changed without events). */
  protected wakeStreams(): void {
    if (this.#streams) for (const stream of this.#streams) stream.wake();
  }

  protected endStreams(): void {
    if (this.#streams) for (const stream of this.#streams) stream.end();
  }

  /** Resolves once every callback of the events delivered so far has settled. */
  protected callbacksDrained(): Promise<void> {
    return this.#callbacks?.drained() ?? Promise.resolve();
  }
}
