import { type ConversationSnapshot, type ConversationStatus, totalCost, totalTokenUsage } from '@troupe/core';
import { agentConfigFromInfo, agentToWire } from './agent-wire.js';
import { type ConversationMetadata, emptyMetadata } from './conversation-metadata.js';
import type { NotApplied } from './not-applied.js';
import type { ConversationInfo } from './wire-schemas.js';

/** What the server keeps about a conversation beside its snapshot. */
export interface WireMetadata {
  /** `persistenceDir/<id>`. */
  conversationDir: string;
  metadata?: ConversationMetadata;
}

/**
 * Settings that do not act as OpenHands would right now: the stored ones, and the security
 * analyzer, which Troupe always treats as OpenHands' `LLMSecurityAnalyzer` (the model's own
 * `security_risk` decides under ConfirmRisky).
 */
function notAppliedNow(snapshot: ConversationSnapshot, metadata: ConversationMetadata): NotApplied[] {
  const analyzer = metadata.security_analyzer;
  const risky = snapshot.confirmationPolicy.kind === 'ConfirmRisky';
  if (analyzer && analyzer.kind !== 'LLMSecurityAnalyzer') {
    return [...metadata.not_applied, { field: 'security_analyzer', reason: `${analyzer.kind} is not available: the model's security_risk is used, as OpenHands' LLMSecurityAnalyzer does` }];
  }
  if (!analyzer && risky) {
    return [...metadata.not_applied, { field: 'security_analyzer', reason: "null: Troupe still uses the model's security_risk (OpenHands would rate every action UNKNOWN without an analyzer)" }];
  }
  return metadata.not_applied;
}

/** The model name of metrics combined over every LLM, as OpenHands' `get_combined_metrics()` has it. */
const COMBINED_METRICS_NAME = 'default';

/** A conversation's snapshot as OpenHands' ConversationInfo (snake_case; the agent never with its API key). */
export function toWireInfo(snapshot: ConversationSnapshot, where: WireMetadata): ConversationInfo {
  const metadata = where.metadata ?? emptyMetadata();
  return {
    id: snapshot.id,
    agent: agentToWire(snapshot.agent, metadata.stored_agent),
    workspace: { kind: 'LocalWorkspace', working_dir: snapshot.workspace },
    persistence_dir: where.conversationDir,
    max_iterations: snapshot.maxIterationsPerRun,
    stuck_detection: snapshot.stuckDetection !== false,
    execution_status: snapshot.status,
    confirmation_policy: snapshot.confirmationPolicy,
    stats: snapshot.stats,
    metrics: { model_name: COMBINED_METRICS_NAME, accumulated_cost: totalCost(snapshot.stats), max_budget_per_task: null, accumulated_token_usage: totalTokenUsage(snapshot.stats, COMBINED_METRICS_NAME) },
    ...(snapshot.title === undefined ? {} : { title: snapshot.title }),
    created_at: snapshot.createdAt,
    updated_at: snapshot.updatedAt,
    secret_names: snapshot.secretNames,
    tags: metadata.tags,
    ...(snapshot.hookConfig ? { hook_config: snapshot.hookConfig } : {}),
    plugins: metadata.plugins,
    blocked_actions: snapshot.blockedActions,
    blocked_messages: snapshot.blockedMessages,
    security_analyzer: metadata.security_analyzer ?? null,
    client_tools: Array.isArray(metadata.stored_request.client_tools) ? metadata.stored_request.client_tools : [],
    invoked_skills: [],
    not_applied: notAppliedNow(snapshot, metadata),
    event_count: snapshot.eventCount,
    ...(snapshot.lastError ? { last_error: snapshot.lastError } : {}),
    forked_from_conversation_id: snapshot.forkedFromConversationId ?? null,
    forked_from_event_id: snapshot.forkedFromEventId ?? null,
    parent_conversation_id: snapshot.parentConversationId ?? null,
    sub_conversation_ids: snapshot.subConversationIds,
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
    agent: agentConfigFromInfo(info.agent),
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
    ...(info.hook_config ? { hookConfig: info.hook_config } : {}),
    blockedActions: info.blocked_actions,
    blockedMessages: info.blocked_messages,
    ...(info.forked_from_conversation_id == null ? {} : { forkedFromConversationId: info.forked_from_conversation_id }),
    ...(info.forked_from_event_id == null ? {} : { forkedFromEventId: info.forked_from_event_id }),
    ...(info.parent_conversation_id == null ? {} : { parentConversationId: info.parent_conversation_id }),
    subConversationIds: info.sub_conversation_ids,
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
