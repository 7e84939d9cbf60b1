import { type AgentDefinitionInput, ConfigError, type ConversationStorage, type Durability, type HookConfig, type StorageSpec } from '@troupe/core';
import type { ConversationHandleOptions } from './conversation-handle.js';
import { type ActorInit, type ClientToolSpec, MAILBOX_VERSION } from './mailbox.js';

/** What a local conversation's actor is started with, beyond the shared handle options. */
export interface ActorStartOptions extends ConversationHandleOptions {
  /**
   * Where the conversation is kept:
   * - a directory: saved in `persistenceDir/<id>/`; it survives a crash of the process and is
   *   resumed by opening it again with the same `conversationId`.
   * - unset (and no storage, here or on the supervisor): kept in a directory of the supervisor's
   *   own (under the OS temp dir, durability `none`), so that it survives the death of its worker
   *   thread: it is restored on a fresh thread as a persisted one is. Removed when it or the
   *   supervisor closes.
   * - `false`: in memory only. The conversation is lost if its worker thread dies.
   */
  persistenceDir?: string | false;
  /** Where the conversation is stored, instead of a directory (e.g. a `RedisConversationStorage`). */
  storage?: ConversationStorage;
  /** When writes reach storage (see `Durability`). Default `step`; `none` in the supervisor's own directory. */
  durability?: Durability;
  /**
   * The sub-agent types the agent's `delegate` tool may spawn (besides `default`, the agent itself);
   * given without that tool, a ConfigError. Not stored: give them again when resuming.
   */
  agentDefinitions?: AgentDefinitionInput[];
  /** How many sub-agents the delegate tool keeps at once (default 5). */
  maxSubAgents?: number;
  /** Set on the sub-conversations a delegate tool starts: the conversation that started it. */
  parentConversationId?: string;
}

/** Where a conversation's actor keeps it (see `ActorStartOptions.persistenceDir` and `storage`). */
export type StoragePlan =
  | { kind: 'persisted'; persistenceDir: string; durability?: Durability }
  | { kind: 'recoverable'; persistenceDir: string; durability: Durability }
  | { kind: 'storage'; spec: StorageSpec; durability?: Durability }
  | { kind: 'memory' };

/** Chooses where a conversation is kept from its options; `recoveryDir` is asked only when they name nothing. */
export function chooseStorage(options: Pick<ActorStartOptions, 'persistenceDir' | 'storage' | 'durability'>, recoveryDir: () => string): StoragePlan {
  const { persistenceDir, storage, durability } = options;
  const withDurability = durability === undefined ? {} : { durability };
  if (storage) {
    if (persistenceDir !== undefined) throw new ConfigError('Pass persistenceDir or storage, not both (persistenceDir is the file storage\'s shorthand; false is memory only).');
    return { kind: 'storage', spec: storage.spec, ...withDurability };
  }
  if (persistenceDir === false) {
    if (durability !== undefined) throw new ConfigError(`durability '${durability}' needs a stored conversation, but persistenceDir is false (memory only); drop one of the two.`);
    return { kind: 'memory' };
  }
  if (persistenceDir !== undefined) return { kind: 'persisted', persistenceDir, ...withDurability };
  return { kind: 'recoverable', persistenceDir: recoveryDir(), durability: durability ?? 'none' };
}

/** What the actor's init says of its storage. */
function storageInit(plan: StoragePlan): Pick<ActorInit, 'persistenceDir' | 'storage' | 'durability'> {
  switch (plan.kind) {
    case 'memory':
      return {};
    case 'storage':
      return { storage: plan.spec, ...(plan.durability === undefined ? {} : { durability: plan.durability }) };
    case 'recoverable':
      // Only this process reads its own directory: state files are rewritten in place there.
      return { storage: { kind: 'file', dir: plan.persistenceDir, processPrivate: true }, durability: plan.durability };
    case 'persisted':
      return { persistenceDir: plan.persistenceDir, ...(plan.durability === undefined ? {} : { durability: plan.durability }) };
  }
}

/** The init message of a conversation's actor, from its options. Secret values go along (they live in memory only). */
export function toActorInit(
  conversationId: string,
  options: ConversationHandleOptions & Pick<ActorStartOptions, 'agentDefinitions' | 'maxSubAgents' | 'parentConversationId'>,
  context: { storage: StoragePlan; secrets: Record<string, string>; clientTools: ClientToolSpec[]; streamTokens: boolean; forwardEvents: boolean; hookConfig: HookConfig | undefined },
): ActorInit {
  const o = options;
  return {
    v: MAILBOX_VERSION,
    conversationId,
    ...(o.agent ? { agent: o.agent.config } : {}),
    ...(o.workspace === undefined ? {} : { workspace: o.workspace }),
    ...storageInit(context.storage),
    ...(o.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: o.maxIterationsPerRun }),
    ...(o.stuckDetection === undefined ? {} : { stuckDetection: o.stuckDetection }),
    ...(o.confirmationPolicy === undefined ? {} : { confirmationPolicy: o.confirmationPolicy }),
    ...(o.maxCost === undefined ? {} : { maxCost: o.maxCost }),
    secrets: context.secrets,
    ...(o.title === undefined ? {} : { title: o.title }),
    ...(o.autoTitle === undefined ? {} : { autoTitle: o.autoTitle }),
    ...(context.hookConfig === undefined ? {} : { hookConfig: context.hookConfig }),
    ...(o.plugins === undefined ? {} : { plugins: o.plugins }),
    clientTools: context.clientTools,
    streamTokens: context.streamTokens,
    ...(o.agentDefinitions === undefined ? {} : { agentDefinitions: o.agentDefinitions }),
    ...(o.maxSubAgents === undefined ? {} : { maxSubAgents: o.maxSubAgents }),
    ...(o.parentConversationId === undefined ? {} : { parentConversationId: o.parentConversationId }),
    forwardEvents: context.forwardEvents,
  };
}
