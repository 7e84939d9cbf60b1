import { ConfigError, type Durability } from '@troupe/core';
import type { ConversationHandleOptions } from './conversation-handle.js';
import { type ActorInit, type ClientToolSpec, MAILBOX_VERSION } from './mailbox.js';

/** What a local conversation's actor is started with, beyond the shared handle options. */
export interface ActorStartOptions extends ConversationHandleOptions {
  /**
   * Where the conversation is kept:
   * - a directory: saved in `persistenceDir/<id>/`; it survives a crash of the process and is
   *   resumed by opening it again with the same `conversationId`.
   * - unset (and none on the supervisor): kept in a directory of the supervisor's own (under the
   *   OS temp dir, durability `none`), so that it survives the death of its worker thread: it is
   *   restored on a fresh thread as a persisted one is. Removed when it or the supervisor closes.
   * - `false`: in memory only. The conversation is lost if its worker thread dies.
   */
  persistenceDir?: string | false;
  /** When writes reach the disk (see `Durability`). Default `step`; `none` in the supervisor's own directory. */
  durability?: Durability;
}

/** Where a conversation's actor keeps it (see `ActorStartOptions.persistenceDir`). */
export type ConversationStorage =
  | { kind: 'persisted'; persistenceDir: string; durability?: Durability }
  | { kind: 'recoverable'; persistenceDir: string; durability: Durability }
  | { kind: 'memory' };

/** Chooses the storage of a conversation from its options; `recoveryDir` is asked only when it names none. */
export function chooseStorage(options: Pick<ActorStartOptions, 'persistenceDir' | 'durability'>, recoveryDir: () => string): ConversationStorage {
  const { persistenceDir, durability } = options;
  if (persistenceDir === false) {
    if (durability !== undefined) throw new ConfigError(`durability '${durability}' needs a stored conversation, but persistenceDir is false (memory only); drop one of the two.`);
    return { kind: 'memory' };
  }
  if (persistenceDir !== undefined) return { kind: 'persisted', persistenceDir, ...(durability === undefined ? {} : { durability }) };
  return { kind: 'recoverable', persistenceDir: recoveryDir(), durability: durability ?? 'none' };
}

/** The init message of a conversation's actor, from its options. Secret values go along (they live in memory only). */
export function toActorInit(
  conversationId: string,
  options: ConversationHandleOptions,
  context: { storage: ConversationStorage; secrets: Record<string, string>; clientTools: ClientToolSpec[]; streamTokens: boolean },
): ActorInit {
  const o = options;
  const storage = context.storage;
  return {
    v: MAILBOX_VERSION,
    conversationId,
    ...(o.agent ? { agent: o.agent.config } : {}),
    ...(o.workspace === undefined ? {} : { workspace: o.workspace }),
    ...(storage.kind === 'memory' ? {} : { persistenceDir: storage.persistenceDir }),
    ...(storage.kind === 'memory' || storage.durability === undefined ? {} : { durability: storage.durability }),
    ...(o.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: o.maxIterationsPerRun }),
    ...(o.stuckDetection === undefined ? {} : { stuckDetection: o.stuckDetection }),
    ...(o.confirmationPolicy === undefined ? {} : { confirmationPolicy: o.confirmationPolicy }),
    ...(o.maxCost === undefined ? {} : { maxCost: o.maxCost }),
    secrets: context.secrets,
    ...(o.title === undefined ? {} : { title: o.title }),
    clientTools: context.clientTools,
    streamTokens: context.streamTokens,
  };
}
