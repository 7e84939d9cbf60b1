import type { ActorStarted } from './actor-connection.js';
import type { ActorInit, ActorOutbound } from './mailbox.js';

/**
 * Where a conversation's actor runs: the supervisor implements it. A handle asks it to start (or
 * restart) its actor and releases itself when closed; the host watches the actor's task itself.
 */
export interface ActorHost {
  /** How conversations (all but memory-only ones) come back after their thread died: paused, or running again. */
  readonly restoreAs: 'paused' | 'running';
  startActor(
    conversation: object,
    init: ActorInit,
    isolation: 'shared' | 'dedicated' | undefined,
    onMail: (message: ActorOutbound) => void,
  ): Promise<ActorStarted>;
  /**
   * A directory of the host's own for a conversation that names no `persistenceDir`, where it is
   * kept so that it survives the death of its thread. One per handle; removed by `release`.
   */
  recoveryDir(conversation: object): string;
  /** The open conversation with this id, if any (a fork must not take the id of one). */
  get(conversationId: string): object | undefined;
  /** The conversation closed: forget it and free what it held (its recovery directory too). */
  release(conversation: object): void;
}

let makeDefaultHost: (() => ActorHost) | null = null;
let defaultHost: ActorHost | null = null;

/** Registers how the default host is made (the supervisor module does, so handles need not import it). */
export function setDefaultHostFactory(make: () => ActorHost): void {
  makeDefaultHost = make;
}

/** The host `new Conversation()` uses when none is given: created on first use. */
export function getDefaultHost(): ActorHost {
  if (!defaultHost) {
    if (!makeDefaultHost) throw new Error('No default supervisor: import Conversation from @troupe/workers, or pass supervisor.');
    defaultHost = makeDefaultHost();
  }
  return defaultHost;
}
