import { type AgentConfig, redactAgent } from './agent-config.js';
import { type ConfirmationPolicy, type ConfirmationPolicyInput, normalizeConfirmationPolicy } from './confirmation-policy.js';
import type { Message } from './content.js';
import type { ConversationSnapshot, LastError, QueuedMessage } from './conversation-snapshot.js';
import type { ConversationStatus } from './conversation-status.js';
import { lastStatusIn } from './crash-recovery.js';
import type { ForkSeed } from './conversation-fork.js';
import type { EventJournal } from './event-journal.js';
import type { HookConfig } from './hook-config.js';
import type { Event, MessageEvent } from './events.js';
import { type ConversationStats, emptyStats, type LLMCallRecord, type Metrics, recordCall } from './metrics.js';
import { randomId } from './random-id.js';
import type { SecretRegistry } from './secret-registry.js';
import type { StuckThresholds } from './stuck-detector.js';

/** See `RuntimeState.recordDelegation`. */
export interface DelegationRecord {
  subConversationIds?: readonly string[];
  usage?: Record<string, Metrics>;
}

export interface RuntimeStateInit {
  id: string;
  agent: AgentConfig;
  workspace: string;
  journal: EventJournal;
  secrets: SecretRegistry;
  title: string | undefined;
  /** Title from the first user message when there is none (the seam for a model-written title). */
  autoTitle: boolean;
  confirmationPolicy: ConfirmationPolicyInput | undefined;
  maxIterationsPerRun: number;
  stuckDetection: StuckThresholds | false;
  maxCost: number | undefined;
  hookConfig: HookConfig | undefined;
  restored?: { events: readonly Event[]; snapshot: ConversationSnapshot };
  parentConversationId?: string;
  /** A fork: its copied events are in the journal already. */
  forked?: Omit<ForkSeed, 'events'>;
}

/**
 * What a conversation is, besides its events: status, stats, title, policy, queued messages, last
 * error. Every change goes through here, so the snapshot is always whole, status changes are always
 * events, and `revision` tells a mirror when to resend it.
 */
export class RuntimeState {
  readonly #init: RuntimeStateInit;
  readonly #agent: AgentConfig;
  #status: ConversationStatus = 'idle';
  #stats: ConversationStats = emptyStats();
  #title: string | undefined;
  #createdAt: string;
  /** The last change that is not an event (the journal knows the newest event's time). */
  #updatedAt: string;
  #lastError: LastError | undefined;
  #policy: ConfirmationPolicy;
  #queued: QueuedMessage[] = [];
  #blockedActions: Record<string, string> = {};
  #blockedMessages: Record<string, string> = {};
  /** `blockedMessageIds`, made again after a change (a step reads it twice). */
  #blockedMessageIds: ReadonlySet<string> | undefined;
  /** Knowledge skills activated so far, in order: each is added to one user message only. */
  #activatedSkills: string[] = [];
  #revision = 0;
  #forkedFrom: { conversationId: string; eventId: string | undefined } | undefined;
  #parentConversationId: string | undefined;
  #subConversationIds: string[] = [];

  constructor(init: RuntimeStateInit) {
    this.#init = init;
    this.#agent = redactAgent(init.agent);
    this.#title = init.title === undefined ? undefined : init.secrets.mask(init.title);
    this.#createdAt = new Date().toISOString();
    this.#updatedAt = this.#createdAt;
    this.#policy = normalizeConfirmationPolicy(init.confirmationPolicy);
    this.#parentConversationId = init.parentConversationId;
    const restored = init.restored;
    if (restored) {
      const { snapshot, events } = restored;
      const admitted = new Set(events.map((event) => event.id));
      // The log is written before the state, so a status change it holds is the newest.
      this.#status = lastStatusIn(events) ?? snapshot.status;
      this.#stats = snapshot.stats;
      this.#policy = snapshot.confirmationPolicy;
      this.#title = snapshot.title;
      this.#lastError = snapshot.lastError;
      this.#createdAt = snapshot.createdAt;
      this.#updatedAt = snapshot.updatedAt;
      this.#queued = snapshot.queuedMessages.filter((queued) => !admitted.has(queued.id));
      this.#blockedActions = snapshot.blockedActions;
      this.#blockedMessages = snapshot.blockedMessages;
      this.#parentConversationId ??= snapshot.parentConversationId;
      this.#subConversationIds = snapshot.subConversationIds;
      if (snapshot.forkedFromConversationId !== undefined) this.#forkedFrom = { conversationId: snapshot.forkedFromConversationId, eventId: snapshot.forkedFromEventId };
      // The log may hold activations the last state.json missed.
      this.#activatedSkills = activatedSkillsIn(events, snapshot.activatedKnowledgeSkills);
    }
    const forked = init.forked;
    if (forked) {
      // The copy's last status, which the runtime then sets to idle (an event of the fork's own).
      this.#status = lastStatusIn(init.journal.events) ?? 'idle';
      if (forked.stats) this.#stats = structuredClone(forked.stats);
      this.#forkedFrom = { conversationId: forked.fromConversationId, eventId: forked.fromEventId };
      this.#activatedSkills = activatedSkillsIn(init.journal.events, []);
    }
  }

  get status(): ConversationStatus {
    return this.#status;
  }

  get stats(): ConversationStats {
    return this.#stats;
  }

  get confirmationPolicy(): ConfirmationPolicy {
    return this.#policy;
  }

  /** Ids of the user messages a hook kept from the model. */
  get blockedMessageIds(): ReadonlySet<string> {
    this.#blockedMessageIds ??= new Set(Object.keys(this.#blockedMessages));
    return this.#blockedMessageIds;
  }

  get activatedKnowledgeSkills(): readonly string[] {
    return this.#activatedSkills;
  }

  get hasQueued(): boolean {
    return this.#queued.length > 0;
  }

  /** Grows with every change of the snapshot but for new events: whoever mirrors the snapshot resends it when this moved. */
  get revision(): number {
    return this.#revision;
  }

  snapshot(): ConversationSnapshot {
    const { journal, secrets } = this.#init;
    const lastEventAt = journal.lastAppendedAt;
    return {
      id: this.#init.id,
      agent: this.#agent,
      workspace: this.#init.workspace,
      status: this.#status,
      stats: this.#stats,
      ...(this.#title === undefined ? {} : { title: this.#title }),
      createdAt: this.#createdAt,
      updatedAt: lastEventAt !== undefined && lastEventAt > this.#updatedAt ? lastEventAt : this.#updatedAt,
      eventCount: journal.events.length,
      ...(this.#lastError ? { lastError: this.#lastError } : {}),
      confirmationPolicy: this.#policy,
      maxIterationsPerRun: this.#init.maxIterationsPerRun,
      stuckDetection: this.#init.stuckDetection,
      ...(this.#init.maxCost === undefined ? {} : { maxCost: this.#init.maxCost }),
      secretNames: secrets.names(),
      queuedMessages: this.#queued,
      ...(this.#init.hookConfig ? { hookConfig: this.#init.hookConfig } : {}),
      blockedActions: this.#blockedActions,
      blockedMessages: this.#blockedMessages,
      ...(this.#forkedFrom ? { forkedFromConversationId: this.#forkedFrom.conversationId } : {}),
      ...(this.#forkedFrom?.eventId === undefined ? {} : { forkedFromEventId: this.#forkedFrom.eventId }),
      activatedKnowledgeSkills: this.#activatedSkills,
      ...(this.#parentConversationId === undefined ? {} : { parentConversationId: this.#parentConversationId }),
      subConversationIds: this.#subConversationIds,
    };
  }

  #changed(): void {
    this.#revision++;
  }

  /** Sets the status; each change is an event. */
  setStatus(status: ConversationStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#changed();
    this.#init.journal.append({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'execution_status', value: status });
  }

  /** Records a failure (an event, the last error) and sets the status it leads to. */
  fail(code: string, detail: string, status: ConversationStatus = 'error'): void {
    this.#lastError = { code, detail: this.#init.secrets.mask(detail) };
    this.#changed();
    this.#init.journal.append({ kind: 'ConversationErrorEvent', source: 'environment', code, detail });
    this.setStatus(status);
  }

  setConfirmationPolicy(policy: ConfirmationPolicyInput): void {
    this.#policy = normalizeConfirmationPolicy(policy);
    this.#changed();
    this.#init.journal.append({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'confirmation_policy', value: this.#policy });
  }

  get title(): string | undefined {
    return this.#title;
  }

  setTitle(title: string): void {
    this.#title = this.#init.secrets.mask(title);
    this.#changed();
  }

  /** A conversation without a title takes the start of its first user message. */
  titleFrom(event: MessageEvent): void {
    if (this.#title !== undefined || !this.#init.autoTitle) return;
    this.#title = titleOf(event);
    if (this.#title !== undefined) this.#changed();
  }

  /** A PreToolUse hook blocked this action (kept, as the record of why it never ran). */
  blockAction(actionId: string, reason: string): void {
    this.#blockedActions = { ...this.#blockedActions, [actionId]: this.#init.secrets.mask(reason) };
    this.#changed();
  }

  /** A UserPromptSubmit hook kept this message from the model. */
  blockMessage(messageId: string, reason: string): void {
    this.#blockedMessages = { ...this.#blockedMessages, [messageId]: this.#init.secrets.mask(reason) };
    this.#blockedMessageIds = undefined;
    this.#changed();
  }

  /** Records knowledge skills a user message activated. */
  activateSkills(names: readonly string[]): void {
    const fresh = names.filter((name) => !this.#activatedSkills.includes(name));
    if (fresh.length === 0) return;
    this.#activatedSkills = [...this.#activatedSkills, ...fresh];
    this.#changed();
  }

  secretsChanged(): void {
    this.#changed();
  }

  recordCall(usageId: string, call: LLMCallRecord): void {
    recordCall(this.#stats, usageId, call);
    this.#changed();
  }

  /** What a delegate tool did: sub-conversations it started (their ids, in order), or a sub-agent's metrics under its usage id (replacing the last ones: they are cumulative). */
  recordDelegation(record: DelegationRecord): void {
    if (record.subConversationIds) this.#subConversationIds = [...this.#subConversationIds, ...record.subConversationIds.filter((id) => !this.#subConversationIds.includes(id))];
    for (const [usageId, metrics] of Object.entries(record.usage ?? {})) this.#stats.usage_to_metrics[usageId] = structuredClone(metrics);
    this.#changed();
  }

  /** Queues a message (masked: the queue is stored) for the next step boundary. */
  enqueue(message: Message, sender: string | undefined): QueuedMessage {
    const queued = this.#init.secrets.maskDeep({ id: randomId(), message, ...(sender ? { sender } : {}), queuedAt: new Date().toISOString() });
    this.#queued = [...this.#queued, queued];
    this.#changed();
    return queued;
  }

  /** Empties the queue, returning what it held, oldest first. */
  takeQueued(): QueuedMessage[] {
    const queued = this.#queued;
    if (queued.length === 0) return queued;
    this.#queued = [];
    this.#changed();
    return queued;
  }
}

function titleOf(event: MessageEvent): string | undefined {
  const text = event.llm_message.content.find((part) => part.type === 'text')?.text.trim();
  if (!text) return undefined;
  const line = text.split('\n')[0]!;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** The knowledge skills activated so far: those already known, and those the log's messages activated. */
function activatedSkillsIn(events: readonly Event[], known: readonly string[]): string[] {
  const activated = new Set(known);
  for (const event of events) if (event.kind === 'MessageEvent') for (const name of event.activated_skills) activated.add(name);
  return [...activated];
}
