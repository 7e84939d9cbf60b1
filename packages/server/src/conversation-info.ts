import {
  type AgentRecord,
  agentToRecord,
  type ConfirmationPolicy,
  type ConversationState,
  type ConversationStats,
  type ConversationStatus,
  totalCost,
  totalTokenUsage,
} from '@troupe/core';
import type { ConversationInfo as HandleInfo } from '@troupe/workers';
import { agentInfo } from './agent-wire.js';
import type { ConversationMetadata } from './conversation-metadata.js';
import type { ConversationInfo } from './wire-schemas.js';

/** What the server keeps about a conversation beyond the handle's own state. */
export interface ConversationSettings {
  confirmationPolicy: ConfirmationPolicy;
  maxIterations: number;
  stuckDetection: boolean;
  secretNames: string[];
  tags: Record<string, string>;
  hookConfig?: Record<string, unknown> | undefined;
}

/** The facts every ConversationInfo is made of, whether the conversation is open or only stored. */
export interface ConversationFacts {
  id: string;
  status: ConversationStatus;
  agent: AgentRecord;
  workingDir: string;
  conversationDir: string;
  stats: ConversationStats;
  title?: string | undefined;
  createdAt: string;
  updatedAt: string;
  eventCount: number;
  lastError?: { code: string; detail: string } | undefined;
}

export function conversationInfo(facts: ConversationFacts, settings: ConversationSettings): ConversationInfo {
  return {
    id: facts.id,
    agent: agentInfo(facts.agent),
    workspace: { kind: 'LocalWorkspace', working_dir: facts.workingDir },
    persistence_dir: facts.conversationDir,
    max_iterations: settings.maxIterations,
    stuck_detection: settings.stuckDetection,
    execution_status: facts.status,
    confirmation_policy: settings.confirmationPolicy,
    stats: facts.stats,
    metrics: { accumulated_cost: totalCost(facts.stats), accumulated_token_usage: totalTokenUsage(facts.stats) },
    ...(facts.title === undefined ? {} : { title: facts.title }),
    created_at: facts.createdAt,
    updated_at: facts.updatedAt,
    secret_names: settings.secretNames,
    tags: settings.tags,
    ...(settings.hookConfig ? { hook_config: settings.hookConfig } : {}),
    event_count: facts.eventCount,
    ...(facts.lastError ? { last_error: facts.lastError } : {}),
  };
}

/** Facts of an open conversation, from its handle's mirrored state (taken once it is ready). */
export function liveFacts(state: HandleInfo, conversationDir: string): ConversationFacts {
  if (!state.agent || state.workspace === undefined) throw new Error(`Conversation ${state.id} is not ready yet.`);
  return {
    id: state.id,
    status: state.status,
    agent: agentToRecord(state.agent),
    workingDir: state.workspace,
    conversationDir,
    stats: state.stats,
    title: state.title,
    createdAt: state.createdAt ?? new Date(0).toISOString(),
    updatedAt: state.updatedAt ?? new Date(0).toISOString(),
    eventCount: state.eventCount,
    lastError: state.lastError,
  };
}

/**
 * Facts of a conversation known only from its `state.json`. Nothing runs a conversation that is
 * not open, so one stored as `running` (its process died) is reported `paused`: that is what it
 * becomes when it is opened again.
 */
export function storedFacts(state: ConversationState, conversationDir: string): ConversationFacts {
  return {
    id: state.id,
    status: storedStatus(state.execution_status),
    agent: state.agent,
    workingDir: state.workspace,
    conversationDir,
    stats: state.stats,
    title: state.title,
    createdAt: state.created_at,
    updatedAt: state.updated_at,
    eventCount: state.event_count,
    lastError: state.last_error,
  };
}

export function storedStatus(status: ConversationStatus): ConversationStatus {
  return status === 'running' ? 'paused' : status;
}

/** Settings of a stored conversation: from `state.json`, plus the server's metadata beside it. */
/** Settings of an open conversation, from its handle's mirrored state. */
export function liveSettings(state: HandleInfo, metadata: ConversationMetadata): ConversationSettings {
  return {
    confirmationPolicy: state.confirmationPolicy,
    maxIterations: state.maxIterationsPerRun,
    stuckDetection: state.stuckDetection !== false,
    secretNames: state.secretNames,
    ...metadata,
  };
}

export function storedSettings(state: ConversationState, metadata: ConversationMetadata): ConversationSettings {
  return {
    confirmationPolicy: state.confirmation_policy,
    maxIterations: state.max_iterations,
    stuckDetection: state.stuck_detection !== false,
    secretNames: state.secret_names,
    ...metadata,
  };
}
