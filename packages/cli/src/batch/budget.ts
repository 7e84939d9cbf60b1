/**
 * The batch's cost budget (`--max-cost`): settled cost (ended tasks, earlier runs included) plus the
 * live cost of running tasks. Once it reaches the limit no new task starts; running ones finish.
 */
export class BatchBudget {
  readonly limit: number | undefined;
  #settled: number;
  readonly #running = new Map<string, () => number>();

  constructor(limit: number | undefined, alreadySpent = 0) {
    this.limit = limit;
    this.#settled = alreadySpent;
  }

  /** Registers a running task whose cost so far `cost()` reads. */
  track(id: string, cost: () => number): void {
    this.#running.set(id, cost);
  }

  /** The task ended at `finalCost`: moves it from running to settled. */
  settle(id: string, finalCost: number): void {
    this.#running.delete(id);
    this.#settled += finalCost;
  }

  /** The task stopped without a result (Ctrl-C): it is no longer counted as running. */
  untrack(id: string): void {
    this.#running.delete(id);
  }

  get spent(): number {
    let spent = this.#settled;
    for (const cost of this.#running.values()) spent += cost();
    return spent;
  }

  get exhausted(): boolean {
    return this.limit !== undefined && this.spent >= this.limit;
  }
}

/** A duration option: `90` (seconds), `500ms`, `30s`, `5m`, `1h`. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new Error(`Invalid duration "${text}": use e.g. 90, 500ms, 30s, 5m or 1h.`);
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  const ms = value * factor;
  if (ms <= 0) throw new Error(`Invalid duration "${text}": it must be positive.`);
  return ms;
}
