/**
 * Collects raw terminal output with bounded memory: past the cap, the middle is dropped. The observation keeps
 * only 30,000 characters of head and tail anyway, and prompt detection only needs the tail.
 */
export class OutputBuffer {
  readonly #headCap: number;
  readonly #tailCap: number;
  #head = '';
  #tail = '';

  constructor(headCap = 200_000, tailCap = 200_000) {
    this.#headCap = headCap;
    this.#tailCap = tailCap;
  }

  append(chunk: string): void {
    if (this.#tail === '' && this.#head.length + chunk.length <= this.#headCap) {
      this.#head += chunk;
      return;
    }
    this.#tail += chunk;
    // Trimming only when twice over the cap keeps appends amortised O(1).
    if (this.#tail.length > 2 * this.#tailCap) this.#tail = this.#tail.slice(-this.#tailCap);
  }

  get text(): string {
    return this.#head + this.#tail;
  }

  /** The last `length` characters, for cheap marker checks. */
  tail(length: number): string {
    return this.text.slice(-length);
  }

  clear(): void {
    this.#head = '';
    this.#tail = '';
  }
}
