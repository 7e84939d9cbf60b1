import { join } from 'node:path';
import { z } from 'zod';
import { agentFromRecord, AgentRecordSchema, agentToRecord } from './agent-config.js';
import { readFileIfExists } from './atomic-write.js';
import { ConfirmationPolicySchema } from './confirmation-policy.js';
import { MessageSchema } from './content.js';
import { type ConversationSnapshot, LastErrorSchema } from './conversation-snapshot.js';
import { ConversationStatusSchema } from './conversation-status.js';
import { errorMessage, PersistenceError, SchemaVersionError } from './errors.js';
import { ConversationStatsSchema, withSharedStrings } from './metrics.js';
import { HookConfigSchema } from './hook-config.js';
import { migrateState } from './schema-migrations.js';
import { StuckThresholdsSchema } from './stuck-detector.js';

export const STATE_FILE = 'state.json';
export const EVENTS_FILE = 'events.jsonl';

/** The schema version of `state.json` and of each line of `events.jsonl` written by this code. */
export const SCHEMA_VERSION = 2;

/**
 * `state.json`: a conversation's snapshot as stored, snake_case like every record that leaves the
 * process. Made from the snapshot by `toStateFile` and read back by `fromStateFile` (an older
 * version migrated first); nothing else writes or reads it.
 */
export const StateFileSchema = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  id: z.string(),
  agent: AgentRecordSchema,
  workspace: z.string(),
  execution_status: ConversationStatusSchema,
  confirmation_policy: ConfirmationPolicySchema,
  max_iterations: z.number().int().positive(),
  stuck_detection: z.union([z.literal(false), StuckThresholdsSchema]),
  max_cost: z.number().positive().optional(),
  stats: ConversationStatsSchema,
  title: z.string().optional(),
  created_at: z.string(),
  updated_at: z.string(),
  secret_names: z.array(z.string()),
  queued_messages: z.array(z.object({ id: z.string(), message: MessageSchema, sender: z.string().optional(), queued_at: z.string() })),
  /** Number of events in `events.jsonl` when this state was written. */
  event_count: z.number().int().nonnegative(),
  last_error: LastErrorSchema.optional(),
  hook_config: HookConfigSchema.optional(),
  /** Absent in states written before hooks ran: none blocked. */
  blocked_actions: z.record(z.string(), z.string()).optional(),
  blocked_messages: z.record(z.string(), z.string()).optional(),
  forked_from_conversation_id: z.string().optional(),
  forked_from_event_id: z.string().optional(),
  parent_conversation_id: z.string().optional(),
  /** Absent in files written before delegation: none. */
  sub_conversation_ids: z.array(z.string()).optional(),
  /** Absent in files written before skills existed. */
  activated_knowledge_skills: z.array(z.string()).optional(),
});
export type StateFile = z.infer<typeof StateFileSchema>;

export function toStateFile(snapshot: ConversationSnapshot): StateFile {
  return {
    schema_version: SCHEMA_VERSION,
    id: snapshot.id,
    agent: agentToRecord(snapshot.agent),
    workspace: snapshot.workspace,
    execution_status: snapshot.status,
    confirmation_policy: snapshot.confirmationPolicy,
    max_iterations: snapshot.maxIterationsPerRun,
    stuck_detection: snapshot.stuckDetection,
    ...(snapshot.maxCost === undefined ? {} : { max_cost: snapshot.maxCost }),
    stats: snapshot.stats,
    ...(snapshot.title === undefined ? {} : { title: snapshot.title }),
    created_at: snapshot.createdAt,
    updated_at: snapshot.updatedAt,
    secret_names: snapshot.secretNames,
    queued_messages: snapshot.queuedMessages.map(({ queuedAt, ...queued }) => ({ ...queued, queued_at: queuedAt })),
    event_count: snapshot.eventCount,
    ...(snapshot.lastError ? { last_error: snapshot.lastError } : {}),
    ...(snapshot.hookConfig ? { hook_config: snapshot.hookConfig } : {}),
    blocked_actions: snapshot.blockedActions,
    blocked_messages: snapshot.blockedMessages,
    ...(snapshot.forkedFromConversationId === undefined ? {} : { forked_from_conversation_id: snapshot.forkedFromConversationId }),
    ...(snapshot.forkedFromEventId === undefined ? {} : { forked_from_event_id: snapshot.forkedFromEventId }),
    activated_knowledge_skills: snapshot.activatedKnowledgeSkills,
    ...(snapshot.parentConversationId === undefined ? {} : { parent_conversation_id: snapshot.parentConversationId }),
    ...(snapshot.subConversationIds.length === 0 ? {} : { sub_conversation_ids: snapshot.subConversationIds }),
  };
}

export function fromStateFile(file: StateFile): ConversationSnapshot {
  return {
    id: file.id,
    agent: agentFromRecord(file.agent),
    workspace: file.workspace,
    status: file.execution_status,
    stats: withSharedStrings(file.stats),
    ...(file.title === undefined ? {} : { title: file.title }),
    createdAt: file.created_at,
    updatedAt: file.updated_at,
    eventCount: file.event_count,
    ...(file.last_error ? { lastError: file.last_error } : {}),
    confirmationPolicy: file.confirmation_policy,
    maxIterationsPerRun: file.max_iterations,
    stuckDetection: file.stuck_detection,
    ...(file.max_cost === undefined ? {} : { maxCost: file.max_cost }),
    secretNames: file.secret_names,
    queuedMessages: file.queued_messages.map(({ queued_at, ...queued }) => ({ ...queued, queuedAt: queued_at })),
    ...(file.hook_config ? { hookConfig: file.hook_config } : {}),
    blockedActions: file.blocked_actions ?? {},
    blockedMessages: file.blocked_messages ?? {},
    ...(file.forked_from_conversation_id === undefined ? {} : { forkedFromConversationId: file.forked_from_conversation_id }),
    ...(file.forked_from_event_id === undefined ? {} : { forkedFromEventId: file.forked_from_event_id }),
    activatedKnowledgeSkills: file.activated_knowledge_skills ?? [],
    ...(file.parent_conversation_id === undefined ? {} : { parentConversationId: file.parent_conversation_id }),
    subConversationIds: file.sub_conversation_ids ?? [],
  };
}


/** Reads `state.json`; null when there is none. A damaged or unknown-version file is a typed error naming it. */
export async function readStateFile(dir: string): Promise<ConversationSnapshot | null> {
  const file = join(dir, STATE_FILE);
  const text = await readFileIfExists(file);
  if (text === null) return null;
  return parseStateFile(text, file);
}

/**
 * Reads a stored state record (the text of `state.json`, or the same record held elsewhere, e.g. a
 * Redis key named by `source`): the one read path of a state, whatever storage held it.
 */
export function parseStateFile(text: string, source: string): ConversationSnapshot {
  let raw: { schema_version?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    throw new PersistenceError(`${source} is not valid JSON (truncated or damaged); restore it from a backup. The event log beside it is intact.`, source);
  }
  if (typeof raw.schema_version !== 'number' || !Number.isInteger(raw.schema_version) || raw.schema_version < 1 || raw.schema_version > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `${source} has schema version ${String(raw.schema_version)}, but this Troupe reads versions 1 to ${SCHEMA_VERSION}; upgrade Troupe to open this conversation.`,
      source,
    );
  }
  const parsed = StateFileSchema.safeParse(migrateState(raw, raw.schema_version, SCHEMA_VERSION));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError(`${source} is not a valid conversation state: ${issue?.path.join('.')}: ${issue?.message}.`, source);
  }
  try {
    return fromStateFile(parsed.data);
  } catch (error) {
    throw new PersistenceError(`${source} holds an agent this Troupe cannot read: ${errorMessage(error)}.`, source);
  }
}
