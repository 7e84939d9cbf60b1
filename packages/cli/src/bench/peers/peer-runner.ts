import type { PeerTask } from './peer-task.js';

/** The contract of one runner module (`*-runner.ts`): Troupe or a peer, run in a process of its own. */

/** Marks the measured span: started once the conversations are set up, stopped when the last one ended. */
export interface PeerClock {
  start(): void;
  stop(): void;
}

export interface PeerOutcome {
  /** The id the mock saw in `x-troupe-conversation-id`, when the runner sends one. */
  id: string | null;
  /** It ended by calling the `finish` tool. */
  finished: boolean;
  /** Model calls it made, as the runner counted them; null when only the mock counts them. */
  modelCalls: number | null;
}

export interface PeerRunner {
  /** Runs `count` conversations at once (ids made from `idPrefix` where the runner chooses ids). */
  run(count: number, idPrefix: string, clock: PeerClock): Promise<PeerOutcome[]>;
  close(): Promise<void>;
}

/** What each runner module exports as `createRunner`. */
export type PeerRunnerFactory = (task: PeerTask) => Promise<PeerRunner>;

/** The line a runner process prints its result on (JSON after the prefix). */
export const PEER_RESULT_PREFIX = 'PEER_RESULT=';

/** Ids for runners that choose their conversations' ids. */
export function conversationIds(count: number, idPrefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${idPrefix}${i}`);
}
