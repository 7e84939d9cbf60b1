import { createConsoleLogger, type Event, errorMessage } from '@troupe/core';
import type { ConversationCallback } from './conversation-handle.js';

/**
 * Runs a conversation's callbacks on each event, in order: the callbacks of an event start after
 * those of every earlier event have settled. One that throws is reported, never fatal.
 */
export class CallbackQueue {
  #tail: Promise<void> = Promise.resolve();

  constructor(
    readonly conversationId: string,
    readonly callbacks: readonly ConversationCallback[],
    readonly onError: (error: Error, event: Event) => void,
  ) {}

  push(event: Event): void {
    if (this.callbacks.length === 0) return;
    this.#tail = this.#tail.then(async () => {
      for (const callback of this.callbacks) {
        try {
          await callback(event);
        } catch (error) {
          const reported = error instanceof Error ? error : new Error(String(error));
          createConsoleLogger({ prefix: `conversation ${this.conversationId}` }).error(`A callback threw on ${event.kind} ${event.id}: ${errorMessage(error)}; the run goes on.`);
          this.onError(reported, event);
        }
      }
    });
  }

  /** Resolves once the callbacks of every event pushed so far have settled. */
  drained(): Promise<void> {
    return this.#tail;
  }
}
