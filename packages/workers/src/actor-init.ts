import type { Durability } from '@troupe/core';
import type { ConversationHandleOptions } from './conversation-handle.js';
import { type ActorInit, type ClientToolSpec, MAILBOX_VERSION } from './mailbox.js';

/** What a local conversation's actor is started with, beyond the shared handle options. */
export interface ActorStartOptions extends ConversationHandleOptions {
  persistenceDir?: string;
  durability?: Durability;
}

/** The init message of a conversation's actor, from its options. Secret values go along (they live in memory only). */
export function toActorInit(
  conversationId: string,
  options: ActorStartOptions,
  context: { secrets: Record<string, string>; clientTools: ClientToolSpec[]; streamTokens: boolean },
): ActorInit {
  const o = options;
  return {
    v: MAILBOX_VERSION,
    conversationId,
    ...(o.agent ? { agent: o.agent.config } : {}),
    ...(o.workspace === undefined ? {} : { workspace: o.workspace }),
    ...(o.persistenceDir === undefined ? {} : { persistenceDir: o.persistenceDir }),
    ...(o.durability === undefined ? {} : { durability: o.durability }),
    ...(o.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: o.maxIterationsPerRun }),
    ...(o.stuckDetection === undefined ? {} : { stuckDetection: o.stuckDetection }),
    ...(o.confirmationPolicy === undefined ? {} : { confirmationPolicy: o.confirmationPolicy }),
    ...(o.maxCost === undefined ? {} : { maxCost: o.maxCost }),
    secrets: context.secrets,
    ...(o.title === undefined ? {} : { title: o.title }),
    ...(o.autoTitle === undefined ? {} : { autoTitle: o.autoTitle }),
    clientTools: context.clientTools,
    streamTokens: context.streamTokens,
  };
}
