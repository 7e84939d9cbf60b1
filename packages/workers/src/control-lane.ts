import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { DoorbellBoard, type DoorbellSpec } from './doorbell.js';

type PortListener = (data: unknown) => void;

interface Board {
  bell: DoorbellBoard;
  /** The watched port of each slot given out. */
  ports: Map<number, MessagePort>;
}

/**
 * This thread's priority lane for control mail. A thread busy with a burst (hundreds of model
 * replies, each a whole step) would reach a port's message only after all of them; a port opened
 * here gets a doorbell its sender rings after posting, and `poll()`, called where a busy thread
 * passes often (each message it sends or delivers, each event an actor appends), sees the ring
 * with one load. The waiting messages are then taken with `receiveMessageOnPort` and given to the
 * port's listeners, in a microtask (the code that polled is never re-entered). Each message is
 * delivered once and in order: the port's queue hands out each message once, to the lane or to
 * the event loop. Every port's messages reach their listeners through `listen`, so both ways
 * deliver alike.
 */
export class ControlLane {
  readonly #listeners = new WeakMap<MessagePort, PortListener[]>();
  readonly #boards: Board[] = [];
  readonly #slots = new WeakMap<MessagePort, { board: Board; slot: number }>();
  #drainScheduled = false;

  /** Adds a listener of the port's messages (the port starts at the first, as with `port.on('message')`). */
  listen(port: MessagePort, listener: PortListener): void {
    const listeners = this.#listeners.get(port);
    if (listeners) {
      listeners.push(listener);
      return;
    }
    const list = [listener];
    this.#listeners.set(port, list);
    port.on('message', (data: unknown) => {
      this.#deliver(list, data);
      this.poll();
    });
  }

  unlisten(port: MessagePort, listener: PortListener): void {
    const listeners = this.#listeners.get(port);
    const index = listeners?.indexOf(listener) ?? -1;
    if (index >= 0) listeners!.splice(index, 1);
  }

  /** Watches the port: its sender rings the returned doorbell after each message it wants taken early. */
  open(port: MessagePort): DoorbellSpec {
    const taken = this.#slots.get(port);
    if (taken) return { board: taken.board.bell.board, slot: taken.slot };
    let board: Board | undefined;
    let slot: number | null = null;
    for (const candidate of this.#boards) {
      slot = candidate.bell.allocate();
      if (slot !== null) {
        board = candidate;
        break;
      }
    }
    if (!board || slot === null) {
      board = { bell: new DoorbellBoard(), ports: new Map() };
      this.#boards.push(board);
      slot = board.bell.allocate()!;
    }
    board.ports.set(slot, port);
    this.#slots.set(port, { board, slot });
    return { board: board.bell.board, slot };
  }

  /** Stops watching the port (idempotent); its slot may be given to another. */
  close(port: MessagePort): void {
    const taken = this.#slots.get(port);
    if (!taken) return;
    this.#slots.delete(port);
    taken.board.ports.delete(taken.slot);
    taken.board.bell.release(taken.slot);
  }

  /** Cheap enough for any hot path: one load per board unless a doorbell rang. */
  poll(): void {
    if (this.#drainScheduled) return;
    for (const board of this.#boards) {
      if (board.bell.rang()) {
        this.#drainScheduled = true;
        queueMicrotask(() => this.#drain());
        return;
      }
    }
  }

  #drain(): void {
    this.#drainScheduled = false;
    for (const board of this.#boards) {
      if (!board.bell.rang()) continue;
      board.bell.acknowledge();
      for (const [slot, port] of board.ports) {
        if (!board.bell.takeRung(slot)) continue;
        const listeners = this.#listeners.get(port);
        // A port nobody listens to yet keeps its messages, as the event loop would.
        if (!listeners?.length) continue;
        for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) this.#deliver(listeners, next.message);
      }
    }
  }

  #deliver(listeners: readonly PortListener[], data: unknown): void {
    // A copy: a listener may remove itself (comlink's release does).
    for (const listener of [...listeners]) listener(data);
  }
}

/** The lane of this thread (each worker thread has its own module instance). */
export const controlLane = new ControlLane();
