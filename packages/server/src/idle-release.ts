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
  if (facts.runInProgress || facts.subscribers > 0 || facts.status === 'running' || facts.status === 'waiting_for_confirmation') return { action: 'busy' };
  return { action: 'release' };
}
