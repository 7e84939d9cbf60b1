/** What a file held before an edit; `null` when the edit created it. */
export type PreviousContent = string | null;

/** Per-file undo stacks for one conversation, each capped at `limit` entries (the oldest are dropped). */
export class EditHistory {
  readonly #limit: number;
  readonly #stacks = new Map<string, PreviousContent[]>();

  constructor(limit = 10) {
    this.#limit = limit;
  }

  push(path: string, previous: PreviousContent): void {
    const stack = this.#stacks.get(path) ?? [];
    stack.push(previous);
    if (stack.length > this.#limit) stack.splice(0, stack.length - this.#limit);
    this.#stacks.set(path, stack);
  }

  /** The newest entry, removed; `undefined` when there is none. */
  pop(path: string): PreviousContent | undefined {
    const stack = this.#stacks.get(path);
    const previous = stack?.pop();
    if (stack?.length === 0) this.#stacks.delete(path);
    return previous;
  }
}
