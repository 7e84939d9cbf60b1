import { z } from 'zod';

/**
 * A doorbell in shared memory: the sender of a message rings it right after posting, so that a
 * receiving thread busy with other work can see, with one `Atomics.load`, that a message waits
 * on a port, and take it ahead of its event loop (see `ControlLane`). A board is one
 * SharedArrayBuffer of Int32 cells: cell 0 counts the rings of all its slots, cell `slot` is set
 * when that slot's port has a message waiting.
 */
export const DoorbellSchema = z.object({
  board: z.custom<SharedArrayBuffer>((value) => value instanceof SharedArrayBuffer, 'a SharedArrayBuffer'),
  slot: z.number().int().positive(),
});
export type DoorbellSpec = z.infer<typeof DoorbellSchema>;

/** Slots of one board; a thread with more ports to watch opens another board. */
export const SLOTS_PER_BOARD = 1_023;

/** The sender's end of a doorbell. */
export class Doorbell {
  readonly #cells: Int32Array;
  readonly #slot: number;

  constructor(spec: DoorbellSpec) {
    this.#cells = new Int32Array(spec.board);
    this.#slot = spec.slot;
  }

  /** Call after posting: the slot first, then the count, so a receiver that sees the count sees the slot. */
  ring(): void {
    Atomics.store(this.#cells, this.#slot, 1);
    Atomics.add(this.#cells, 0, 1);
  }
}

/** The receiver's end: a board whose slots it gives out, and asks which rang. */
export class DoorbellBoard {
  readonly board = new SharedArrayBuffer((SLOTS_PER_BOARD + 1) * Int32Array.BYTES_PER_ELEMENT);
  readonly #cells = new Int32Array(this.board);
  /** The ring count last acted on. */
  #seen = 0;
  #next = 1;
  readonly #free: number[] = [];

  /** A free slot (cleared), or null when the board is full. */
  allocate(): number | null {
    const slot = this.#free.pop() ?? (this.#next <= SLOTS_PER_BOARD ? this.#next++ : null);
    if (slot !== null) Atomics.store(this.#cells, slot, 0);
    return slot;
  }

  release(slot: number): void {
    this.#free.push(slot);
  }

  /** Whether a slot rang since the last `acknowledge`: one load, cheap enough for any hot path. */
  rang(): boolean {
    return Atomics.load(this.#cells, 0) !== this.#seen;
  }

  /** Marks the rings so far as seen; call it before taking their slots. */
  acknowledge(): void {
    this.#seen = Atomics.load(this.#cells, 0);
  }

  /**
   * Clears `slot` and says whether it rang. A ring that lands after the slot was cleared moves the
   * count past the acknowledged one again, so it is never missed.
   */
  takeRung(slot: number): boolean {
    return Atomics.load(this.#cells, slot) !== 0 && Atomics.exchange(this.#cells, slot, 0) !== 0;
  }
}
