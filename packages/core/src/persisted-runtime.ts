import { verifyResumedTools } from './agent-config.js';
import { ConversationRuntime } from './conversation-runtime.js';
import type { ConversationRuntimeOptions } from './conversation-runtime-options.js';
import type { OpenedConversation } from './conversation-storage.js';
import { ConversationExistsError } from './errors.js';
import { openConversationDir } from './file-conversation-storage.js';

export interface PersistedRuntimeOptions extends Omit<ConversationRuntimeOptions, 'store' | 'restored' | 'id'> {
  id: string;
  /** `persistenceDir/<id>`: the file storage's shorthand (one of this and `opened`). */
  conversationDir?: string;
  /** The conversation as a `ConversationStorage` opened it (`storage.open(id)`). */
  opened?: OpenedConversation;
}

/**
 * Opens a persisted conversation: resumes it from its storage when one is stored there (checking
 * that no tool was removed, and recovering from an unclean stop), or starts a new one that is
 * saved there. Options given now win over stored ones; stored ones fill the gaps.
 */
export async function openPersistedRuntime(options: PersistedRuntimeOptions): Promise<{ runtime: ConversationRuntime; resumed: boolean }> {
  const { conversationDir, opened: given, ...runtimeOptions } = options;
  if (!given && conversationDir === undefined) throw new TypeError('openPersistedRuntime needs conversationDir or opened.');
  const { loaded, store } = given ?? (await openConversationDir(conversationDir!));
  try {
    if (loaded && options.forkOf) {
      throw new ConversationExistsError(`Conversation ${options.id} already exists; fork into a new conversation id (or omit it to get one).`);
    }
    if (loaded) verifyResumedTools(loaded.snapshot.agent, options.agent);
    const stored = loaded?.snapshot;
    const runtime = new ConversationRuntime({
      ...runtimeOptions,
      ...(stored && options.maxIterationsPerRun === undefined ? { maxIterationsPerRun: stored.maxIterationsPerRun } : {}),
      ...(stored && options.stuckDetection === undefined ? { stuckDetection: stored.stuckDetection } : {}),
      ...(stored && options.maxCost === undefined && stored.maxCost !== undefined ? { maxCost: stored.maxCost } : {}),
      store,
      ...(loaded ? { restored: { events: loaded.events, snapshot: loaded.snapshot } } : {}),
    });
    if (loaded) await runtime.recoverAfterLoad(loaded);
    else await runtime.save();
    return { runtime, resumed: loaded !== null };
  } catch (error) {
    // Gives the conversation up (a shared storage's claim on it too); the error says why.
    await store.close().catch(() => undefined);
    throw error;
  }
}
