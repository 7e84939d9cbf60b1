import {
  agentFromRecord,
  agentToRecord,
  type ConversationSnapshot,
  type ConversationStatus,
  totalCost,
  totalTokenUsage,
} from '@troupe/core';
import { agentInfo, agentRecordFromWire } from './agent-wire.js';
import type { ConversationInfo } from './wire-schemas.js';

/** What the server keeps about a conversation beside its snapshot. */
export interface WireMetadata {
  /** `persistenceDir/<id>`. */
  conversationDir: string;
  tags: Record<string, string>;
  hookConfig?: Record<string, unknown> | undefined;
}

/** A conversation's snapshot as OpenHands' ConversationInfo (snake_case; the agent never with its API key). */
export function toWireInfo(snapshot: ConversationSnapshot, metadata: WireMetadata): ConversationInfo {
  return {
    id: snapshot.id,
    agent: agentInfo(agentToRecord(snapshot.agent)),
    workspace: { kind: 'LocalWorkspace', working_dir: snapshot.workspace },
    persistence_dir: metadata.conversationDir,
    max_iterations: snapshot.maxIterationsPerRun,
    stuck_detection: snapshot.stuckDetection !== false,
    execution_status: snapshot.status,
    confirmation_policy: snapshot.confirmationPolicy,
    stats: snapshot.stats,
    metrics: { accumulated_cost: totalCost(snapshot.stats), accumulated_token_usage: totalTokenUsage(snapshot.stats) },
    ...(snapshot.title === undefined ? {} : { title: snapshot.title }),
    created_at: snapshot.createdAt,
    updated_at: snapshot.updatedAt,
    secret_names: snapshot.secretNames,
    tags: metadata.tags,
    ...(metadata.hookConfig ? { hook_config: metadata.hookConfig } : {}),
    event_count: snapshot.eventCount,
    ...(snapshot.lastError ? { last_error: snapshot.lastError } : {}),
    activated_knowledge_skills: snapshot.activatedKnowledgeSkills,
  };
}

/**
 * The snapshot a ConversationInfo describes (what a remote handle mirrors). The wire carries no
 * queued messages and stuck detection only as on/off, so those come back as none and defaults.
 */
export function fromWireInfo(info: ConversationInfo, stuckDetection: ConversationSnapshot['stuckDetection']): ConversationSnapshot {
  const status: ConversationStatus = info.execution_status === 'deleting' ? 'idle' : info.execution_status;
  return {
    id: info.id,
    agent: agentFromRecord(agentRecordFromWire(info.agent)),
    workspace: info.workspace.working_dir,
    status,
    stats: info.stats,
    ...(info.title === undefined ? {} : { title: info.title }),
    createdAt: info.created_at,
    updatedAt: info.updated_at,
    eventCount: info.event_count,
    ...(info.last_error ? { lastError: info.last_error } : {}),
    confirmationPolicy: info.confirmation_policy,
    maxIterationsPerRun: info.max_iterations,
    stuckDetection: info.stuck_detection ? stuckDetection : false,
    secretNames: info.secret_names,
    queuedMessages: [],
    activatedKnowledgeSkills: info.activated_knowledge_skills,
  };
}

/**
 * Nothing runs a conversation that is not open, so one stored as `running` (its process died) is
 * reported `paused`: that is what it becomes when it is opened again.
 */
export function storedStatus(status: ConversationStatus): ConversationStatus {
  return status === 'running' ? 'paused' : status;
}
