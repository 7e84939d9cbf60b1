import { DEFAULT_MAX_ITERATIONS, emptyStats, normalizeConfirmationPolicy, normalizeStuckDetection, redactAgent } from '@troupe/core';
import type { StoragePlan } from './actor-init.js';
import type { ConversationHandleOptions, ConversationState } from './conversation-handle.js';

/** The state a handle shows until its actor reports: what the options say. */
export function initialState(id: string, options: ConversationHandleOptions, storage: StoragePlan): ConversationState {
  const now = new Date().toISOString();
  return {
    id,
    status: 'idle',
    ...(options.agent ? { agent: redactAgent(options.agent.config) } : {}),
    ...(options.workspace === undefined ? {} : { workspace: options.workspace }),
    ...(storage.kind === 'persisted' ? { persistenceDir: storage.persistenceDir } : {}),
    stats: emptyStats(),
    ...(options.title === undefined ? {} : { title: options.title }),
    createdAt: now,
    updatedAt: now,
    eventCount: 0,
    confirmationPolicy: normalizeConfirmationPolicy(options.confirmationPolicy),
    maxIterationsPerRun: options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS,
    stuckDetection: normalizeStuckDetection(options.stuckDetection),
    ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
    secretNames: Object.keys(options.secrets ?? {}),
    queuedMessages: [],
    blockedActions: {},
    blockedMessages: {},
    activatedKnowledgeSkills: [],
  };
}
