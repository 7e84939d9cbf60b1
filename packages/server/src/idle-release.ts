import type { ConversationStatus } from '@troupe/core';

/**
 * Open conversations hold an actor (its tools, a terminal, open files) until they are closed. One
 * that nobody has used for this long, that is not running, has no subscriber and waits for no
 * confirmation is closed; its next request reopens it from disk (a fresh terminal, like after a
 * restart).
 */
export const DEFAULT_IDLE_RELEASE_MS = 5 * 60_000;

/** setTimeout's longest delay; a longer idle time is waited for in several steps. */
const MAX_TIMER_MS = 2_147_483_647;

export interface IdleFacts {
  now: number;
  lastUsedAt: number;
  idleReleaseMs: number;
  /** A run the server started has not ended yet. */
  runInProgress: boolean;
  /** Requests working with the conversation right now. */
  inUse: number;
  subscribers: number;
  status: ConversationStatus;
}

/**
 * Whether to release a conversation now, look again later (`recheckInMs`), or wait for the activity
 * that keeps it open to end (`busy`: the end of a run or of a subscription asks again).
 */
export type IdleDecision = { action: 'release' } | { action: 'recheck'; recheckInMs: number } | { action: 'busy' };

export function idleDecision(facts: IdleFacts): IdleDecision {
  const idleFor = facts.now - facts.lastUsedAt;
  if (idleFor < facts.idleReleaseMs) return { action: 'recheck', recheckInMs: Math.min(facts.idleReleaseMs - idleFor, MAX_TIMER_MS) };
  if (facts.runInProgress || facts.inUse > 0 || facts.subscribers > 0 || facts.status === 'running' || facts.status === 'waiting_for_confirmation') return { action: 'busy' };
  return { action: 'release' };
}

/**
 * The idle clock of one open conversation: when it was last used, who uses it now (requests,
 * subscribers), and the timer that releases it once `idleDecision` says so. Whatever keeps it busy
 * asks again when it ends.
 */
export class IdleClock {
  readonly #idleReleaseMs: number;
  readonly #state: () => { runInProgress: boolean; status: ConversationStatus };
  readonly #release: () => void;
  #lastUsedAt = 0;
  #inUse = 0;
  #subscribers = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(idleReleaseMs: number, state: () => { runInProgress: boolean; status: ConversationStatus }, release: () => void) {
    this.#idleReleaseMs = idleReleaseMs;
    this.#state = state;
    this.#release = release;
  }

  /** Used now: the idle time starts again. */
  touch(): void {
    this.#lastUsedAt = Date.now();
    this.#schedule(this.#idleReleaseMs);
  }

  /** Keeps the conversation open while `work` runs (a request that makes several calls to it). */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.#inUse++;
    try {
      return await work();
    } finally {
      this.#inUse--;
      this.touch();
    }
  }

  /** Keeps the conversation open until the returned function is called (an event socket). */
  subscribe(): () => void {
    this.#subscribers++;
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#subscribers--;
      this.touch();
    };
  }

  /** Something that kept it busy ended (a run): look again after the idle time. */
  recheck(): void {
    this.#schedule(this.#idleReleaseMs);
  }

  /** The conversation was closed otherwise (deleted, released, shut down): never fire again. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#stopped || delayMs === Infinity) return;
    this.#timer = setTimeout(() => this.#check(), delayMs);
    this.#timer.unref();
  }

  #check(): void {
    const decision = idleDecision({ now: Date.now(), lastUsedAt: this.#lastUsedAt, idleReleaseMs: this.#idleReleaseMs, inUse: this.#inUse, subscribers: this.#subscribers, ...this.#state() });
    if (decision.action === 'recheck') return this.#schedule(decision.recheckInMs);
    if (decision.action === 'busy') return;
    this.stop();
    this.#release();
  }
}
