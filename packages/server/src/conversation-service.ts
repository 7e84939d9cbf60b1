import {
  ConfigError,
  type ConfirmationPolicy,
  type ConversationSnapshot,
  type ConversationStatus,
  type ConversationStorage,
  errorMessage,
  type Event,
  type EventFilter,
  type EventPage,
  type EventSearch,
  finalResponseOf,
  type Logger,
  type MessageAck,
  randomId,
} from '@troupe/core';
import type { Conversation, Supervisor } from '@troupe/workers';
import { EventEmitter } from 'eventemitter3';
import { agentFromWire } from './agent-wire.js';
import { type ConversationMetadata, emptyMetadata, readConversationMetadata, writeConversationMetadata } from './conversation-metadata.js';
import { type ConversationSummary, searchConversations } from './conversation-search.js';
import { conversationNotFound, HttpError } from './http-error.js';
import { secretValues, type SecretSource } from './secret-sources.js';
import { autoTitleOf, startPlanOf } from './start-request.js';
import { DEFAULT_IDLE_RELEASE_MS, IdleClock } from './idle-release.js';
import { type OpenConversation, type RetainedOptions, type RunStart, runStarted, startRun } from './open-conversation.js';
import { storedStatus, toWireInfo } from './wire-info.js';

export type { OpenConversation, RunStart } from './open-conversation.js';
import {
  type ConversationInfo,
  ConversationIdSchema,
  type ConversationPage,
  type ConversationSearchQuery,
  type ForkConversationRequest,
  type SecurityAnalyzer,
  type SendMessageRequest,
  type StartConversationRequest,
} from './wire-schemas.js';

export interface ConversationServiceEvents {
  /** A run started by the server ended; every event it produced has reached the handle. */
  run_ended: (conversationId: string) => void;
  /** An idle conversation was closed (its actor ended); its next request reopens it. */
  released: (conversationId: string) => void;
}

export interface ConversationServiceOptions {
  supervisor: Supervisor;
  /** Where conversations are stored (a `FileConversationStorage`, a `RedisConversationStorage`, …); the caller closes it. */
  storage: ConversationStorage;
  logger: Logger;
  /** See `DEFAULT_IDLE_RELEASE_MS`; `Infinity` keeps conversations open until DELETE or close. */
  idleReleaseMs?: number;
}

/** The snapshot of an open conversation (its handle reports once ready, which `open` waits for). */
function snapshotOf(handle: Conversation): ConversationSnapshot {
  const { agent, workspace } = handle.state;
  if (!agent || workspace === undefined) throw new Error(`Conversation ${handle.id} is not ready yet.`);
  return { ...handle.state, agent, workspace };
}

/**
 * The conversations of one server, over a supervisor: creates them, opens stored ones on first use
 * (lazily, each at most once), lists open and stored ones, and starts at most one run each.
 */
export class ConversationService extends EventEmitter<ConversationServiceEvents> {
  readonly storage: ConversationStorage;
  readonly #supervisor: Supervisor;
  readonly #logger: Logger;
  /** Open and opening conversations: a second request for one waits for the same promise. */
  readonly #open = new Map<string, Promise<OpenConversation>>();
  readonly idleReleaseMs: number;
  /** Released conversations: what reopens them as they were, and the close in progress to wait for. */
  readonly #released = new Map<string, RetainedOptions>();
  readonly #releasing = new Map<string, Promise<void>>();
  /** Conversations served for their owner (`adopt`): the owner closes them, never this service. */
  readonly #adopted = new Set<Promise<OpenConversation>>();
  /** Known workspaces, read from the stored conversations once, then kept up to date. */
  #workspaces: Promise<Set<string>> | null = null;

  constructor(options: ConversationServiceOptions) {
    super();
    this.#supervisor = options.supervisor;
    this.storage = options.storage;
    this.#logger = options.logger;
    this.idleReleaseMs = options.idleReleaseMs ?? DEFAULT_IDLE_RELEASE_MS;
    if (!(this.idleReleaseMs > 0)) throw new ConfigError(`idleReleaseMs must be a positive number of milliseconds (or Infinity), not ${this.idleReleaseMs}.`);
  }

  /** The stored snapshot of a conversation, or null; a malformed id names no conversation. */
  async #stored(id: string): Promise<ConversationSnapshot | null> {
    if (!ConversationIdSchema.safeParse(id).success) return null;
    return this.storage.readSnapshot(id).catch((error: unknown) => {
      this.#logger.warn(`Conversation ${id} is stored but unreadable: ${errorMessage(error)}`);
      return null;
    });
  }

  /** Creates a conversation; with the id of an existing one it returns that one (`created: false`). */
  async create(request: StartConversationRequest): Promise<{ info: ConversationInfo; created: boolean }> {
    const id = request.conversation_id ?? randomId();
    if (this.#open.has(id) || (await this.#stored(id))) {
      // A client re-attaching after a restart brings the agent again, which restores its API key.
      await this.open(id, agentFromWire(request.agent).agent);
      return { info: await this.info(id), created: false };
    }
    const { options, metadata } = await startPlanOf(request, id);
    // Checked again with nothing awaited until #start: a concurrent create of the same id starts it once.
    if (this.#open.has(id)) return { info: await this.info(id), created: false };
    const opening = this.#start(id, metadata, { agent: options.agent, secrets: { ...options.secrets } }, () =>
      this.#supervisor.conversation({ ...options, storage: this.storage }),
    );
    const conversation = await opening;
    void this.#workspaces?.then((known) => known.add(options.workspace ?? process.cwd()));
    return conversation.idle.hold(async () => {
      await writeConversationMetadata(this.storage, id, metadata);
      const message = request.initial_message;
      if (message) {
        await conversation.handle.sendMessage({ role: 'user', content: message.content }, message.sender ? { sender: message.sender } : {});
        // OpenHands always runs an initial message (its `run` flag is ignored); Troupe's `run_initial_message: false` does not.
        if (request.run_initial_message) this.#startRun(conversation);
      }
      return { info: this.infoOf(conversation), created: true };
    });
  }

  /** Registers a conversation as opening, and forgets it again if it fails to start. */
  #start(id: string, metadata: ConversationMetadata, retained: RetainedOptions, make: () => Conversation | Promise<Conversation>): Promise<OpenConversation> {
    const opening = (async () => {
      const handle = await make();
      try {
        await handle.ready();
      } catch (error) {
        await handle.close();
        throw error;
      }
      const conversation: OpenConversation = {
        handle,
        metadata,
        retained,
        run: null,
        rerun: null,
        idle: new IdleClock(this.idleReleaseMs, () => ({ runInProgress: conversation.run !== null, status: handle.status }), () => this.#release(conversation)),
      };
      return this.#used(conversation);
    })();
    this.#open.set(id, opening);
    opening.catch(() => this.#open.delete(id));
    return opening;
  }

  /** The open conversation, opening a stored one (with `agent` when given, else its stored agent); 404 when unknown. */
  async open(id: string, agent?: ReturnType<typeof agentFromWire>['agent']): Promise<OpenConversation> {
    const open = this.#open.get(id);
    if (open) return this.#used(await open);
    // A released conversation is reopened only once its actor has closed: never two on one directory.
    await this.#releasing.get(id);
    const stored = await this.#stored(id);
    if (!stored) throw conversationNotFound(id);
    const metadata = await readConversationMetadata(this.storage, id);
    const again = this.#open.get(id);
    if (again) return this.#used(await again);
    const released = this.#released.get(id);
    const retainedAgent = agent ?? released?.agent;
    const retained: RetainedOptions = { ...(retainedAgent ? { agent: retainedAgent } : {}), secrets: { ...released?.secrets } };
    const opening = this.#start(id, metadata, retained, () =>
      this.#supervisor.resume(id, {
        storage: this.storage,
        ...(retained.agent ? { agent: retained.agent } : {}),
        secrets: retained.secrets,
        autoTitle: autoTitleOf(metadata.autotitle),
        ...(metadata.plugins.length > 0 ? { plugins: metadata.plugins } : {}),
      }),
    );
    // Kept until it is open again: a failed reopen can be retried with the same key and secrets.
    opening.then(() => this.#released.delete(id), () => undefined);
    return opening;
  }

  /**
   * `POST /{id}/fork`: a new conversation with a copy of the source's events (all, or up to
   * `from_event_id`), its agent, secrets and server settings; tags only as given (as OpenHands).
   */
  async fork(id: string, request: ForkConversationRequest): Promise<ConversationInfo> {
    const source = await this.open(id);
    const forkId = request.id ?? randomId();
    if (this.#open.has(forkId) || (await this.#stored(forkId))) throw new HttpError(409, `Conversation ${forkId} already exists; fork into a new id (or leave id out).`);
    const metadata: ConversationMetadata = { ...source.metadata, tags: request.tags ?? {} };
    const retained: RetainedOptions = { ...(source.retained.agent ? { agent: source.retained.agent } : {}), secrets: { ...source.retained.secrets } };
    const fork = await source.idle.hold(() =>
      this.#start(forkId, metadata, retained, () =>
        source.handle.fork({
          conversationId: forkId,
          ...(request.from_event_id == null ? {} : { upToEventId: request.from_event_id }),
          ...(request.title == null ? {} : { title: request.title }),
          resetMetrics: request.reset_metrics,
        }),
      ),
    );
    return fork.idle.hold(async () => {
      await writeConversationMetadata(this.storage, forkId, metadata);
      return this.info(forkId);
    });
  }

  /** `POST /{id}/ask_agent`: one model call over the conversation's context; no event, no status change. */
  async askAgent(id: string, question: string): Promise<string> {
    const { handle, idle } = await this.open(id);
    return idle.hold(() => handle.askAgent(question));
  }

  /** Marks a conversation used now: its idle time starts again. */
  #used(conversation: OpenConversation): OpenConversation {
    conversation.idle.touch();
    return conversation;
  }

  /** Closes an idle conversation; what only memory holds is kept to reopen it with. */
  #release(conversation: OpenConversation): void {
    const id = conversation.handle.id;
    this.#open.delete(id);
    this.#released.set(id, conversation.retained);
    const closing = conversation.handle
      .close()
      .catch((error: unknown) => this.#logger.warn(`Releasing idle conversation ${id} failed: ${errorMessage(error)}`))
      .finally(() => {
        if (this.#releasing.get(id) === closing) this.#releasing.delete(id);
        this.emit('released', id);
      });
    this.#releasing.set(id, closing);
  }

  /** The info of an open conversation, without waiting (WebSocket snapshots use it too). */
  infoOf(conversation: OpenConversation): ConversationInfo {
    return toWireInfo(snapshotOf(conversation.handle), { conversationDir: this.storage.location(conversation.handle.id), metadata: conversation.metadata });
  }

  /** The info of an open conversation with its whole stats (per-call lists included): one query to its actor. */
  async fullInfoOf(conversation: OpenConversation): Promise<ConversationInfo> {
    return toWireInfo(await conversation.handle.snapshot(), { conversationDir: this.storage.location(conversation.handle.id), metadata: conversation.metadata });
  }

  /** The info of a conversation with its whole stats (per-call lists included). */
  async info(id: string): Promise<ConversationInfo> {
    const open = this.#open.get(id);
    if (open) {
      return this.fullInfoOf(await open);
    }
    const stored = await this.#stored(id);
    if (!stored) throw conversationNotFound(id);
    return toWireInfo({ ...stored, status: storedStatus(stored.status) }, { conversationDir: this.storage.location(id), metadata: await readConversationMetadata(this.storage, id) });
  }

  /** Every conversation: open ones as their handle mirrors them (stats as totals), with the handle; stored ones as on disk. */
  async snapshots(): Promise<Array<{ snapshot: ConversationSnapshot; handle?: Conversation }>> {
    const open = (await Promise.allSettled(this.#open.values())).flatMap((result) => (result.status === 'fulfilled' ? [result.value.handle] : []));
    const openIds = new Set(open.map((handle) => handle.id));
    // An open one's file is not read: its handle knows better.
    const stored = await this.storage.list({ except: openIds });
    return [
      ...open.map((handle) => ({ snapshot: snapshotOf(handle), handle })),
      ...stored.map((snapshot) => ({ snapshot: { ...snapshot, status: storedStatus(snapshot.status) } })),
    ];
  }

  /**
   * Serves a conversation opened elsewhere on this server's supervisor (a batch's task): listed,
   * read and controlled like one the server opened, and never released as idle. The returned
   * function forgets it again, once its owner has closed it.
   */
  adopt(handle: Conversation): () => void {
    const id = handle.id;
    if (this.#open.has(id)) throw new HttpError(409, `Conversation ${JSON.stringify(id)} is already open in this server: close it before it is adopted.`);
    const opening = this.#start(id, emptyMetadata(), { secrets: {} }, () => handle);
    opening.then((conversation) => conversation.idle.stop(), () => undefined);
    this.#adopted.add(opening);
    return () => {
      this.#adopted.delete(opening);
      if (this.#open.get(id) === opening) this.#open.delete(id);
    };
  }

  /** The infos of several conversations, null for each id that names none. */
  async infos(ids: readonly string[]): Promise<(ConversationInfo | null)[]> {
    return Promise.all(ids.map((id) => this.info(id).catch((error: unknown) => (error instanceof HttpError && error.statusCode === 404 ? null : Promise.reject(error)))));
  }

  async #summaries(): Promise<(ConversationSummary & { workspace?: string })[]> {
    return (await this.snapshots()).map(({ snapshot }) => snapshot);
  }

  /** The working directories of every conversation, open or stored (the file and git routes reach only these and the configured roots). */
  async workspaces(): Promise<string[]> {
    this.#workspaces ??= this.#summaries().then((summaries) => new Set(summaries.flatMap((summary) => (summary.workspace === undefined ? [] : [summary.workspace]))));
    return [...(await this.#workspaces)];
  }

  async search(query: ConversationSearchQuery): Promise<ConversationPage> {
    const page = searchConversations(await this.#summaries(), query);
    const items = await Promise.all(page.items.map((summary) => this.info(summary.id).catch(() => null)));
    return { items: items.filter((info): info is ConversationInfo => info !== null), next_page_id: page.next_page_id };
  }

  async count(status?: string): Promise<number> {
    return (await this.#summaries()).filter((summary) => status === undefined || summary.status === status).length;
  }

  /** Closes a conversation this server has open (a run is interrupted; it stays stored); nothing when it is not open. */
  async closeOpen(id: string): Promise<void> {
    const open = this.#open.get(id);
    if (!open) return;
    this.#open.delete(id);
    const conversation = await open.catch(() => null);
    conversation?.idle.stop();
    await conversation?.handle.close();
  }

  /** Closes the conversation (interrupting a run) and removes what is stored of it; the workspace stays. */
  async delete(id: string): Promise<void> {
    const open = this.#open.get(id);
    if (!open && !(await this.#stored(id))) throw conversationNotFound(id);
    if (open) {
      const conversation = await open.catch(() => null);
      conversation?.idle.stop();
      await conversation?.handle.close();
      this.#open.delete(id);
    }
    await this.#releasing.get(id);
    this.#released.delete(id);
    await this.storage.delete(id);
    // Its workspace may be another's too: read them again when next asked.
    this.#workspaces = null;
  }

  /**
   * Starts a run and resolves once it has started (or already ended): `ended` with its final status,
   * or `runningFrom`, the sequence number from which the run's last status change will come.
   * `already_running` when one is going (with `join`, its `runningFrom` instead).
   */
  async run(id: string, options: { join?: boolean } = {}): Promise<RunStart> {
    const conversation = await this.open(id);
    const { handle } = conversation;
    if (handle.status === 'running') return options.join ? { runningFrom: handle.state.eventCount } : 'already_running';
    return conversation.idle.hold(() => runStarted(conversation, () => this.#startRun(conversation)));
  }

  #startRun(conversation: OpenConversation): Promise<ConversationStatus> {
    return startRun(conversation, () => this.emit('run_ended', conversation.handle.id), this.#logger);
  }

  /** Asks the run to stop at its next step boundary; resolves at once (the model call in flight finishes). */
  async pause(id: string): Promise<void> {
    const { handle } = await this.open(id);
    handle.pause().catch((error: unknown) => this.#logger.warn(`Pausing conversation ${id} failed: ${errorMessage(error)}`));
  }

  /** Aborts the model call and running tools; resolves once the conversation is paused. */
  async interrupt(id: string): Promise<void> {
    const { handle } = await this.open(id);
    await handle.interrupt();
  }

  async sendMessage(id: string, request: SendMessageRequest): Promise<MessageAck> {
    const conversation = await this.open(id);
    return conversation.idle.hold(async () => {
      const ack = await conversation.handle.sendMessage({ role: 'user', content: request.content }, request.sender ? { sender: request.sender } : {});
      // A message queued by a running loop is seen by that run; a run started for it would undo a pause that follows.
      if (request.run && !ack.queued) this.#startRun(conversation);
      return ack;
    });
  }

  async updateSecrets(id: string, secrets: Record<string, SecretSource>): Promise<void> {
    const values = await secretValues(secrets);
    const conversation = await this.open(id);
    Object.assign(conversation.retained.secrets, values);
    await conversation.handle.updateSecrets(values);
  }

  async setConfirmationPolicy(id: string, policy: ConfirmationPolicy): Promise<void> {
    const conversation = await this.open(id);
    await conversation.handle.setConfirmationPolicy(policy);
  }

  /** `PATCH`: a new title and/or new tags (replacing all of them). */
  async update(id: string, changes: { title?: string | null | undefined; tags?: Record<string, string> | null | undefined }): Promise<void> {
    const conversation = await this.open(id);
    await conversation.idle.hold(async () => {
      if (changes.title != null) await conversation.handle.setTitle(changes.title);
      if (changes.tags != null) await this.#updateMetadata(conversation, { tags: changes.tags });
    });
  }

  /** Stores the security analyzer (Troupe rates risk as OpenHands' LLMSecurityAnalyzer does; ConversationInfo says so). */
  async setSecurityAnalyzer(id: string, analyzer: SecurityAnalyzer | null): Promise<void> {
    const conversation = await this.open(id);
    await conversation.idle.hold(() => this.#updateMetadata(conversation, { security_analyzer: analyzer }));
  }

  async #updateMetadata(conversation: OpenConversation, changes: Partial<ConversationMetadata>): Promise<void> {
    const metadata = { ...conversation.metadata, ...changes };
    await writeConversationMetadata(this.storage, conversation.handle.id, metadata);
    conversation.metadata = metadata;
  }

  /** Accept runs the waiting actions; reject records a rejection for each. Returns how many were rejected. */
  async respondToConfirmation(id: string, accept: boolean, reason: string): Promise<number> {
    const conversation = await this.open(id);
    if (accept) {
      this.#startRun(conversation);
      return 0;
    }
    return conversation.handle.rejectPendingActions(reason);
  }

  /** A page of the conversation's events, searched where the log lives. */
  async searchEvents(id: string, query: EventSearch): Promise<EventPage> {
    const { handle, idle } = await this.open(id);
    return idle.hold(() => handle.searchEvents(query));
  }

  async countEvents(id: string, filter: EventFilter): Promise<number> {
    const { handle, idle } = await this.open(id);
    return idle.hold(() => handle.countEvents(filter));
  }

  async event(id: string, eventId: string): Promise<Event> {
    const event = await (await this.open(id)).handle.getEvent(eventId);
    if (!event) throw new HttpError(404, `Event ${JSON.stringify(eventId)} not found in conversation ${JSON.stringify(id)}`);
    return event;
  }

  /** The agent's final response (core's `agentFinalResponse` rule), read from the newest events back, a page at a time. */
  async agentFinalResponse(id: string): Promise<string> {
    const { handle } = await this.open(id);
    let pageId: string | undefined;
    for (;;) {
      const page = await handle.searchEvents({ sort_order: 'TIMESTAMP_DESC', limit: 100, ...(pageId === undefined ? {} : { page_id: pageId }) });
      for (const event of page.items) {
        const response = finalResponseOf(event);
        if (response !== undefined) return response;
      }
      if (page.next_page_id === null) return '';
      pageId = page.next_page_id;
    }
  }

  /** Closes every conversation this service opened (not the adopted ones); running ones are interrupted and stay paused. */
  async close(): Promise<void> {
    const open = await Promise.allSettled([...this.#open.values()].filter((opening) => !this.#adopted.has(opening)));
    this.#open.clear();
    for (const result of open) if (result.status === 'fulfilled') result.value.idle.stop();
    await Promise.all([...open.map((result) => (result.status === 'fulfilled' ? result.value.handle.close() : undefined)), ...this.#releasing.values()]);
  }
}
