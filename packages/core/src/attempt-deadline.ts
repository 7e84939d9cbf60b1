/**
 * The signal of one model attempt: aborted when the caller's signal aborts or when `timeoutMs`
 * passes. `AbortSignal.any([signal, AbortSignal.timeout(ms)])` means the same, but each use leaves
 * a timer, weak references and a finalizer behind until a full GC, which thousands of model calls
 * a second on one thread pile up; this one lets go of everything in `dispose()`.
 */
export class AttemptDeadline {
  readonly #controller = new AbortController();
  readonly #outer: AbortSignal | undefined;
  readonly #timer: NodeJS.Timeout;
  #expired = false;

  constructor(timeoutMs: number, outer?: AbortSignal) {
    this.#outer = outer;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, timeoutMs);
    // Like AbortSignal.timeout: a pending deadline does not keep the process alive.
    this.#timer.unref();
    if (outer?.aborted) this.#controller.abort(outer.reason);
    else outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The deadline passed (the attempt was not aborted by its caller first). */
  get expired(): boolean {
    return this.#expired;
  }

  /** The attempt is over: the timer and the listener on the caller's signal go. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }

  readonly #onOuterAbort = (): void => {
    clearTimeout(this.#timer);
    this.#controller.abort(this.#outer!.reason);
  };
}
