import { verifyResumedTools } from './agent-config.js';
import { ConversationRuntime } from './conversation-runtime.js';
import type { ConversationRuntimeOptions } from './conversation-runtime-options.js';
import { FileConversationStore, loadConversation } from './file-conversation-store.js';

export interface PersistedRuntimeOptions extends Omit<ConversationRuntimeOptions, 'store' | 'restored' | 'id'> {
  id: string;
  /** `persistenceDir/<id>`. */
  conversationDir: string;
}

/**
 * Opens a persisted conversation: resumes it from its directory when one is stored there (checking
 * that no tool was removed, and recovering from an unclean stop), or starts a new one that is
 * saved there. Options given now win over stored ones; stored ones fill the gaps.
 */
export async function openPersistedRuntime(options: PersistedRuntimeOptions): Promise<{ runtime: ConversationRuntime; resumed: boolean }> {
  const loaded = await loadConversation(options.conversationDir);
  if (loaded) verifyResumedTools(loaded.snapshot.agent, options.agent);
  const store = await FileConversationStore.open(options.conversationDir, loaded?.tornLine?.validBytes);
  const stored = loaded?.snapshot;
  const runtime = new ConversationRuntime({
    ...options,
    ...(stored && options.maxIterationsPerRun === undefined ? { maxIterationsPerRun: stored.maxIterationsPerRun } : {}),
    ...(stored && options.stuckDetection === undefined ? { stuckDetection: stored.stuckDetection } : {}),
    ...(stored && options.maxCost === undefined && stored.maxCost !== undefined ? { maxCost: stored.maxCost } : {}),
    store,
    ...(loaded ? { restored: { events: loaded.events, snapshot: loaded.snapshot } } : {}),
  });
  if (loaded) await runtime.recoverAfterLoad(loaded);
  else await runtime.save();
  return { runtime, resumed: loaded !== null };
}
