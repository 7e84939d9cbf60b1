import {
  ConfigError,
  type ConfirmationPolicyInput,
  type ConversationSnapshot,
  type ConversationStats,
  type ConversationStatus,
  DEFAULT_MAX_ITERATIONS,
  emptyStats,
  type Event,
  type EventFilter,
  type EventPage,
  type HookConfig,
  type MessageAck,
  normalizeConfirmationPolicy,
  normalizeStuckDetection,
  parseHookConfig,
  randomId,
  statsSnapshot,
  toUserMessage,
  type UserMessageInput,
} from '@troupe/core';
import {
  type ConversationHandle,
  ConversationHandleBase,
  type ConversationHandleOptions,
  type ConversationState,
  type EventSearchInput,
  type ForkOptions,
  type GenerateTitleInput,
} from '@troupe/workers';
import { type AgentWire, agentToWire } from './agent-wire.js';
import { SESSION_KEY_HEADER } from './auth.js';
import { EventSocketClient, type ReconnectOptions } from './event-socket-client.js';
import { remoteTitle } from './remote-title.js';
import { fromWireInfo } from './wire-info.js';
import type { ConversationInfo, StartConversationInput } from './wire-schemas.js';


export interface RemoteConversationOptions extends ConversationHandleOptions {
  /** e.g. `http://127.0.0.1:8000`. */
  serverUrl: string;
  sessionApiKey?: string;
  reconnect?: ReconnectOptions;
}

/** A request the server refused; `status` and `detail` are the server's. */
export class RemoteServerError extends Error {
  override name = 'RemoteServerError';
  constructor(
    readonly status: number,
    readonly detail: unknown,
  ) {
    super(`Server answered ${status}: ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`);
  }
}

const PAGE = 100;

/** A query string of the fields that are set. */
function queryString(fields: object): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) params.set(key, String(value));
  return params;
}

/**
 * A conversation on an agent server, behind the same handle contract as the local `Conversation`:
 * control calls are REST, events and state arrive over a WebSocket that reconnects by itself and
 * resumes after the last event it saw.
 */
export class RemoteConversation extends ConversationHandleBase implements ConversationHandle {
  readonly #options: RemoteConversationOptions;
  readonly #ready: Promise<void>;
  readonly #stuckDetection: ConversationSnapshot['stuckDetection'];
  readonly #hookConfig: HookConfig | undefined;
  #socket: EventSocketClient | null = null;
  #state: ConversationState;
  #resumed = false;
  #fatal: Error | null = null;
  /** The latest status changes seen in the log, by sequence number: where a run's end is found. */
  #statusChanges: { seq: number; status: ConversationStatus }[] = [];
  /** Callers of run() waiting for the first status change from `from` on that is not `running`. */
  readonly #runWaiters = new Set<{ from: number; resolve: (status: ConversationStatus) => void; reject: (error: Error) => void }>();
  /** Callers of pause() / interrupt() waiting for the run to stop. */
  readonly #stopWaiters = new Set<() => void>();
  #closed = false;
  /** The status last announced to listeners. */
  #lastStatus: ConversationStatus = 'idle';

  constructor(options: RemoteConversationOptions) {
    super(options.conversationId ?? randomId(), options.callbacks);
    if (options.clientTools?.length) {
      throw new ConfigError('clientTools are not supported on a RemoteConversation: run the tool on the server as a custom tool module, or use a local Conversation.');
    }
    this.#options = options;
    this.#stuckDetection = normalizeStuckDetection(options.stuckDetection);
    this.#hookConfig = options.hookConfig === undefined ? undefined : parseHookConfig(options.hookConfig);
    const now = new Date().toISOString();
    this.#state = {
      id: this.id,
      status: 'idle',
      stats: emptyStats(),
      createdAt: now,
      updatedAt: now,
      eventCount: 0,
      confirmationPolicy: normalizeConfirmationPolicy(options.confirmationPolicy),
      maxIterationsPerRun: options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS,
      stuckDetection: this.#stuckDetection,
      ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
      secretNames: Object.keys(options.secrets ?? {}),
      queuedMessages: [],
      blockedActions: {},
      blockedMessages: {},
      activatedKnowledgeSkills: [],
      subConversationIds: [],
    };
    this.#ready = this.#attach();
    // Failures surface on the next call.
    this.#ready.catch(() => undefined);
  }

  /** Creates (or re-attaches to) the conversation and waits for the first state snapshot. */
  async #attach(): Promise<void> {
    const o = this.#options;
    const { status, payload: info } = o.agent
      ? await this.#send<ConversationInfo>('POST', '/api/conversations', {
          agent: agentToWire(o.agent.config, {}, { withApiKey: true }) as AgentWire,
          workspace: { kind: 'LocalWorkspace', working_dir: o.workspace ?? process.cwd() },
          conversation_id: this.id,
          ...(o.maxIterationsPerRun === undefined ? {} : { max_iterations: o.maxIterationsPerRun }),
          ...(o.stuckDetection === undefined ? {} : { stuck_detection: this.#stuckDetection !== false }),
          ...(this.#stuckDetection === false ? {} : { stuck_detection_thresholds: this.#stuckDetection }),
          ...(o.confirmationPolicy === undefined ? {} : { confirmation_policy: normalizeConfirmationPolicy(o.confirmationPolicy) }),
          ...(o.maxCost === undefined ? {} : { max_cost: o.maxCost }),
          ...(o.secrets === undefined ? {} : { secrets: o.secrets }),
          ...(o.title === undefined ? {} : { title: o.title }),
          ...(o.autoTitle === undefined ? {} : { autotitle: o.autoTitle !== false }),
          ...(this.#hookConfig === undefined ? {} : { hook_config: this.#hookConfig }),
          ...(o.plugins === undefined ? {} : { plugins: o.plugins }),
        } satisfies StartConversationInput)
      : await this.#send<ConversationInfo>('GET', `/api/conversations/${encodeURIComponent(this.id)}`);
    // 201 = created now; 200 = it existed (a re-attach).
    this.#resumed = status === 200;
    this.#setInfo(info);
    const socket = new EventSocketClient({ serverUrl: o.serverUrl, conversationId: this.id, sessionApiKey: o.sessionApiKey, lastSeq: info.event_count - 1, reconnect: o.reconnect });
    this.#socket = socket;
    const connected = new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('fatal', reject);
    });
    socket.on('snapshot', (snapshot) => this.#onSnapshot(snapshot));
    socket.on('event', (event, seq) => this.#onEvent(event, seq));
    socket.on('delta', (event) => this.deliver([{ seq: null, event }]));
    socket.on('fatal', (error) => this.#onFatal(error));
    socket.connect();
    await connected;
  }

  async ready(): Promise<void> {
    await this.#ready;
  }

  get resumed(): boolean {
    return this.#resumed;
  }

  get isPersisted(): boolean {
    return true;
  }

  /** The last snapshot the server sent, mirrored. */
  get state(): ConversationState {
    return this.#state;
  }

  get stats(): ConversationStats {
    return this.#state.stats;
  }

  protected get settled(): boolean {
    return this.#closed || this.#fatal !== null || this.#state.status !== 'running';
  }

  // ---------------------------------------------------------------- mirror

  #setInfo(info: ConversationInfo): void {
    const snapshot = fromWireInfo(info, this.#stuckDetection);
    // Events may have arrived over the socket before this info was read: never count back.
    const eventCount = Math.max(snapshot.eventCount, this.#state.eventCount);
    // The mirror holds totals, as a local handle's does; `snapshot()` has the per-call lists.
    this.#state = { ...snapshot, stats: statsSnapshot(snapshot.stats), eventCount, persistenceDir: info.persistence_dir };
    this.#statusChanged(snapshot.status);
  }

  #statusChanged(status: ConversationStatus): void {
    if (status === this.#lastStatus) return;
    this.#lastStatus = status;
    this.emitStatus(status);
    if (status !== 'running') for (const wake of this.#stopWaiters) wake();
  }

  #onSnapshot(info: ConversationInfo): void {
    this.#setInfo(info);
  }

  #onEvent(event: Event, seq: number): void {
    const changed = event.kind === 'ConversationStateUpdateEvent' && event.key === 'execution_status';
    const status = changed ? (event.value as ConversationStatus) : this.#state.status;
    this.#state = { ...this.#state, status, eventCount: Math.max(this.#state.eventCount, seq + 1), updatedAt: event.timestamp };
    this.#statusChanged(status);
    if (changed) this.#onStatusChange(seq, status);
    this.deliver([{ seq, event }]);
  }

  #onStatusChange(seq: number, status: ConversationStatus): void {
    this.#statusChanges = [...this.#statusChanges.slice(-31), { seq, status }];
    if (status === 'running') return;
    for (const waiter of this.#runWaiters) {
      if (seq < waiter.from) continue;
      waiter.resolve(status);
      this.#runWaiters.delete(waiter);
    }
  }

  /** The status a run ends in: the first status change from `from` on that is not `running` (seen already, or to come). */
  #runEnd(from: number): Promise<ConversationStatus> {
    const seen = this.#statusChanges.find((change) => change.seq >= from && change.status !== 'running');
    if (seen) return Promise.resolve(seen.status);
    return new Promise((resolve, reject) => this.#runWaiters.add({ from, resolve, reject }));
  }

  #onFatal(error: Error): void {
    this.#fatal = error;
    for (const waiter of this.#runWaiters) waiter.reject(error);
    this.#runWaiters.clear();
    for (const wake of this.#stopWaiters) wake();
    this.wakeStreams();
  }

  // ---------------------------------------------------------------- reads

  /** Events `from`.. of the log (at most `limit`), over REST. */
  async getEvents(from = 0, limit = 1000): Promise<Event[]> {
    const events: Event[] = [];
    let pageId: string | null = String(from);
    while (pageId !== null && events.length < limit) {
      // The whole log, state updates included: the sequence numbers stay contiguous.
      const page: EventPage = await this.searchEvents({ page_id: pageId, limit: Math.min(PAGE, limit - events.length), include_state: true });
      events.push(...page.items);
      pageId = page.next_page_id;
    }
    return events;
  }

  async searchEvents(query: EventSearchInput = {}): Promise<EventPage> {
    return this.#control('GET', `/events/search?${queryString(query)}`);
  }

  async countEvents(filter: EventFilter = {}): Promise<number> {
    return this.#control('GET', `/events/count?${queryString(filter)}`);
  }

  async getEvent(eventId: string): Promise<Event | null> {
    try {
      return await this.#control<Event>('GET', `/events/${encodeURIComponent(eventId)}`);
    } catch (error) {
      if (error instanceof RemoteServerError && error.status === 404) return null;
      throw error;
    }
  }

  async snapshot(): Promise<ConversationSnapshot> {
    return fromWireInfo(await this.#control<ConversationInfo>('GET', ''), this.#stuckDetection);
  }

  // ---------------------------------------------------------------- control

  #path(): string {
    return `/api/conversations/${encodeURIComponent(this.id)}`;
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.#send<T>(method, path, body)).payload;
  }

  async #send<T>(method: string, path: string, body?: unknown): Promise<{ status: number; payload: T }> {
    const response = await fetch(`${this.#options.serverUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.#options.sessionApiKey ? { [SESSION_KEY_HEADER]: this.#options.sessionApiKey } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) throw new RemoteServerError(response.status, (payload as { detail?: unknown } | null)?.detail ?? response.statusText);
    return { status: response.status, payload: payload as T };
  }

  async #control<T>(method: string, path: string, body?: unknown): Promise<T> {
    await this.ready();
    if (this.#fatal) throw this.#fatal;
    return this.#request<T>(method, `${this.#path()}${path}`, body);
  }

  async sendMessage(message: UserMessageInput, options: { sender?: string } = {}): Promise<MessageAck> {
    const { content } = toUserMessage(message);
    const ack = await this.#control<{ message_id: string; queued: boolean }>('POST', '/events', { role: 'user', content, run: false, ...(options.sender ? { sender: options.sender } : {}) });
    return { id: ack.message_id, queued: ack.queued };
  }

  /**
   * Runs, or joins the run going on. The server answers once the run has started, with where its
   * end will be found in the log (or its status, if it already ended); the log's events come over
   * the socket exactly once and in order, across reconnects, so the end is never missed or mistaken.
   */
  async run(): Promise<ConversationStatus> {
    const started = await this.#control<{ run_status?: ConversationStatus; running_from_seq?: number }>('POST', '/run?join=true');
    if (started.run_status !== undefined) return started.run_status;
    return this.#runEnd(started.running_from_seq ?? this.#state.eventCount);
  }

  async pause(): Promise<void> {
    await this.#control('POST', '/pause');
    await this.#stopped();
  }

  async interrupt(): Promise<void> {
    await this.#control('POST', '/interrupt');
    await this.#stopped();
  }

  async #stopped(): Promise<void> {
    while (this.#state.status === 'running' && !this.#closed && !this.#fatal) await new Promise<void>((resolve) => this.#stopWaiters.add(resolve));
    this.#stopWaiters.clear();
  }

  approve(): Promise<ConversationStatus> {
    return this.run();
  }

  async rejectPendingActions(reason?: string): Promise<number> {
    const response = await this.#control<{ rejected_count: number }>('POST', '/events/respond_to_confirmation', { accept: false, ...(reason === undefined ? {} : { reason }) });
    return response.rejected_count;
  }

  async setConfirmationPolicy(policy: ConfirmationPolicyInput): Promise<void> {
    await this.#control('POST', '/confirmation_policy', { policy: normalizeConfirmationPolicy(policy) });
  }

  async updateSecrets(secrets: Record<string, string>): Promise<void> {
    await this.#control('POST', '/secrets', { secrets });
  }

  /** Sets the title on the server, then mirrors the server's info (no snapshot comes over the socket for it). */
  async setTitle(title: string): Promise<void> {
    await this.#control('PATCH', '', { title });
    this.#setInfo(await this.#control<ConversationInfo>('GET', ''));
  }

  /**
   * Forks on the server (`POST /fork`) and follows the fork. Another agent is refused: the fork
   * request (OpenHands') carries none; fork a local `Conversation` to change it.
   */
  async fork(options: ForkOptions = {}): Promise<RemoteConversation> {
    if (options.agent) {
      throw new ConfigError("fork({ agent }) is not supported on a RemoteConversation: the server's fork request carries no agent (as OpenHands'); fork with the source's agent, or fork a local Conversation.");
    }
    const info = await this.#control<ConversationInfo>('POST', '/fork', {
      ...(options.conversationId === undefined ? {} : { id: options.conversationId }),
      ...(options.title === undefined ? {} : { title: options.title }),
      reset_metrics: options.resetMetrics ?? true,
      ...(options.upToEventId === undefined ? {} : { from_event_id: options.upToEventId }),
    });
    const { serverUrl, sessionApiKey, reconnect } = this.#options;
    const fork = new RemoteConversation({ serverUrl, conversationId: info.id, ...(sessionApiKey ? { sessionApiKey } : {}), ...(reconnect ? { reconnect } : {}) });
    await fork.ready();
    return fork;
  }

  async askAgent(question: string): Promise<string> {
    return (await this.#control<{ response: string }>('POST', '/ask_agent', { question })).response;
  }

  /** Written in this process (see `remoteTitle`), then set on the server; its tokens are not in the conversation's stats. */
  async generateTitle(options: GenerateTitleInput = {}): Promise<string> {
    const title = await remoteTitle({ id: this.id, searchEvents: (query) => this.searchEvents(query), agentLLM: this.#options.agent?.config.llm ?? this.#state.agent?.llm }, options);
    await this.setTitle(title);
    return title;
  }

  /** Condenses on the server; its 409 (no condenser, nothing to condense) is a `RemoteServerError` with the reason. */
  async condense(): Promise<void> {
    await this.#control('POST', '/condense');
  }

  /** Deletes the conversation on the server (its workspace stays) and closes this handle. */
  async delete(): Promise<void> {
    await this.#control('DELETE', '');
    await this.close();
  }

  /** Stops following the conversation; it stays on the server. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket?.close();
    for (const waiter of this.#runWaiters) waiter.reject(new Error(`RemoteConversation ${this.id} was closed.`));
    this.#runWaiters.clear();
    for (const wake of this.#stopWaiters) wake();
    await this.callbacksDrained();
    this.endStreams();
  }
}
