import {
  Agent,
  type HookConfig,
  parseHookConfig,
  ConfigError,
  ConversationClosedError,
  ConversationExistsError,
  type ConfirmationPolicyInput,
  type ConversationSnapshot,
  type ConversationStats,
  type ConversationStatus,
  createConsoleLogger,
  createEvent,
  errorMessage,
  type Event,
  type EventFilter,
  type EventPage,
  type ForkSeed,
  type MessageAck,
  SecretRegistry,
  type UserMessageInput,
  randomId,
} from '@troupe/core';
import type { ActorConnection, ActorReady } from './actor-connection.js';
import { type ActorHost, getDefaultHost } from './actor-host.js';
import { type ActorStartOptions, chooseStorage, type StoragePlan, toActorInit } from './actor-init.js';
import { ClientToolHost } from './client-tool-host.js';
import type { ConversationEvents, ConversationHandle, ConversationState, EventSearchInput, ForkOptions, GenerateTitleInput } from './conversation-handle.js';
import { ActorCrashedError } from './errors.js';
import { DelegationHost } from './delegation-host.js';
import type { SubAgentSpec } from './delegation-mail.js';
import { EventSubscription } from './event-subscription.js';
import { ConversationHandleBase, type DeliveredEvent } from './handle-base.js';
import { initialState } from './initial-state.js';
import { sharedAgentView } from './shared-agent-view.js';
import { type ActorCommandBody, type ActorOutbound, ActorMailSchema, type ForkSource, MAILBOX_VERSION, type MirroredSnapshot, parseMailboxMessage } from './mailbox.js';
import { postMail } from './port-endpoint.js';

export interface ConversationOptions extends ActorStartOptions {
  /** Required for a new conversation; on resume the stored agent is used when omitted. */
  agent?: Agent;
  /** `dedicated` gives the conversation a thread of its own. */
  isolation?: 'shared' | 'dedicated';
  /** Where the actor runs: a `Supervisor` (default: one made on first use). */
  supervisor?: ActorHost;
}

/**
 * A conversation: the handle, on the main thread, of an actor in a worker thread. Every method
 * is a mailbox send; `state` is mirrored from the actor's event batches.
 */
export class Conversation extends ConversationHandleBase implements ConversationHandle {
  readonly #options: ConversationOptions;
  readonly #host: ActorHost;
  readonly #storage: StoragePlan;
  readonly #secretValues: Record<string, string>;
  readonly #hookConfig: HookConfig | undefined;
  /** Made on first use, as the delegation: an idle conversation (most of them) needs neither. */
  #clientTools: ClientToolHost | undefined;
  /** The sub-conversations its delegate tool started (see `DelegationHost`). */
  #delegation: DelegationHost | undefined;
  #connection: Promise<ActorConnection>;
  #ready: ActorReady | null = null;
  #state: ConversationState;
  #crash: { error: ActorCrashedError } | null = null;
  /** Rejecters of calls awaiting the actor: a dead thread fails them at once (made by the first call). */
  #inflight: Set<(error: Error) => void> | undefined;
  #closing: Promise<void> | null = null;
  #closed = false;
  #tokensEnabled = false;
  readonly #events: EventSubscription;
  /** Counts actor connections; mail from an older (dead) one may still arrive and must not set the state. */
  #generation = 0;
  /** A fork's copy of its source, until its actor has stored it (a restart then reopens it from storage). */
  #forkSeed: ForkSeed | undefined;

  /** `forkSeed` is internal: `fork()` passes the copy a fork starts from. */
  constructor(options: ConversationOptions, forkSeed?: ForkSeed) {
    super(options.conversationId ?? randomId(), options.callbacks);
    this.#options = options;
    this.#host = options.supervisor ?? getDefaultHost();
    this.#storage = chooseStorage(options, () => this.#host.recoveryDir(this));
    this.#secretValues = { ...options.secrets };
    this.#hookConfig = options.hookConfig === undefined ? undefined : parseHookConfig(options.hookConfig);
    if (options.clientTools?.length) this.#clientTools = this.#clientToolHost();
    this.#state = { ...initialState(this.id, options, this.#storage), ...(this.#hookConfig ? { hookConfig: this.#hookConfig } : {}) };
    this.#forkSeed = forkSeed;
    this.#events = new EventSubscription((options.callbacks?.length ?? 0) > 0);
    this.#connection =
      options.agent || this.isPersisted
        ? this.#connect(false)
        : Promise.reject(new ConfigError('An agent is required to start a conversation; pass agent (or, to resume a stored one, its persistenceDir or storage).'));
    // Failures surface on the next call; an unobserved one must not crash the process.
    this.#connection.catch(() => undefined);
  }

  async #connect(restoring: boolean): Promise<ActorConnection> {
    const generation = ++this.#generation;
    const init = toActorInit(this.id, this.#options, {
      storage: this.#storage,
      secrets: this.#secretValues,
      clientTools: this.#clientTools?.specs() ?? [],
      streamTokens: this.#tokensEnabled,
      forwardEvents: this.#events.wanted,
      hookConfig: this.#hookConfig,
    });
    const fork = this.#forkSeed ? { fork: this.#forkSeed } : {};
    const { connection, snapshot } = await this.#host.startActor(this, { ...init, ...fork }, this.#options.isolation, (message) => this.#onMail(message, generation));
    this.#forkSeed = undefined;
    this.#ready = connection.ready;
    this.#events.connected();
    this.#crash = null;
    this.#setSnapshot(snapshot);
    connection.task.catch((error: unknown) => this.#onCrash(error, restoring));
    return connection;
  }

  /** Resolves once the actor is running in its thread (calls wait for it anyway). */
  async ready(): Promise<void> {
    await this.#connection;
  }

  /**
   * True when the conversation was loaded from storage rather than started anew: a stored one
   * opened again, or one restored on a fresh thread after its thread died.
   */
  get resumed(): boolean {
    return this.#ready?.resumed ?? false;
  }

  /**
   * True when the conversation is saved in a `persistenceDir` of the caller's: it outlives this
   * process and can be resumed later. One kept in the supervisor's own directory is not (it
   * survives only the death of its thread), nor a memory-only one (`persistenceDir: false`).
   */
  get isPersisted(): boolean {
    return this.#storage.kind === 'persisted' || this.#storage.kind === 'storage';
  }

  /** The last snapshot the actor sent (stats as totals), with where it runs. */
  get state(): ConversationState {
    return this.#state;
  }

  /** Metrics per usage id, with accumulated cost and tokens (per-call lists: `snapshot()`). */
  get stats(): ConversationStats {
    return this.#state.stats;
  }

  protected get settled(): boolean {
    return this.#closed || this.#state.status !== 'running';
  }

  protected override onListen(event: keyof ConversationEvents): void {
    if (event === 'event') return this.#subscribe();
    if (event !== 'delta' || this.#tokensEnabled) return;
    this.#tokensEnabled = true;
    void this.#call({ type: 'set_stream_tokens', enabled: true }).catch(() => undefined);
  }

  protected override onStream(): void {
    this.#subscribe();
  }

  /** The first subscriber: the actor forwards the events from now on (a restoring one is not ready). */
  #subscribe(): void {
    const subscription = this.#events.subscribe(this.#ready !== null && !this.#crash);
    if (subscription) void this.#call({ type: 'subscribe_events', ...subscription }).catch(() => undefined);
  }

  // ---------------------------------------------------------------- mail from the actor

  #onMail(raw: ActorOutbound, generation: number): void {
    let message;
    try {
      message = parseMailboxMessage(ActorMailSchema, raw, 'actor mail');
    } catch (error) {
      createConsoleLogger({ prefix: `conversation ${this.id}` }).warn(errorMessage(error));
      return;
    }
    switch (message.type) {
      case 'events': {
        const current = generation === this.#generation && !this.#crash;
        if (current && message.snapshot) this.#setSnapshot(message.snapshot as unknown as MirroredSnapshot);
        else if (current && message.progress) this.#state = { ...this.#state, ...message.progress };
        else if (current) this.#advance(message.events as DeliveredEvent[]);
        if (current) this.#events.told(this.#state.eventCount);
        this.deliver(message.events as DeliveredEvent[]);
        break;
      }
      case 'client_tool_call':
        void this.#runClientTool(message.callId, message.name, message.args, message.toolCallId);
        break;
      case 'client_tool_cancel':
        this.#clientTools?.cancel(message.callId);
        break;
      case 'delegate_spawn':
      case 'delegate_run':
      case 'delegate_stop':
        this.#delegationHost().onMail(message);
        break;
      default:
        break;
    }
  }

  /** A snapshot from the actor; one without an agent keeps the agent the handle has. */
  #setSnapshot(snapshot: MirroredSnapshot): void {
    const previous = this.#state.status;
    // Object.assign, not a spread: a spread of a deserialized object gets a hidden class of its own (~0.5 KB each).
    this.#state = Object.assign({}, snapshot, {
      agent: snapshot.agent ? sharedAgentView(this.#options.agent?.config, snapshot.agent) : this.#state.agent,
      ...(this.#storage.kind === 'persisted' ? { persistenceDir: this.#storage.persistenceDir } : {}),
      ...(this.#ready ? { threadId: this.#ready.threadId } : {}),
    });
    if (snapshot.status !== previous) this.emitStatus(snapshot.status);
  }

  /** Event count and update time follow from the events of a batch that came without a snapshot. */
  #advance(events: readonly DeliveredEvent[]): void {
    let last: DeliveredEvent | undefined;
    for (const item of events) if (item.seq !== null && item.seq >= (last?.seq ?? this.#state.eventCount)) last = item;
    if (last) this.#state = { ...this.#state, eventCount: last.seq! + 1, updatedAt: last.event.timestamp };
  }

  #clientToolHost(): ClientToolHost {
    this.#clientTools ??= new ClientToolHost(this.#options.clientTools ?? [], {
      conversationId: this.id,
      workspace: () => this.#state.workspace ?? process.cwd(),
      // The values given, and every update since (`updateSecrets` keeps them).
      secrets: new SecretRegistry(this.#secretValues),
    });
    return this.#clientTools;
  }

  #delegationHost(): DelegationHost {
    this.#delegation ??= new DelegationHost({
      startChild: (spec) => this.#startChild(spec),
      reply: (message) => void this.#connection.then((connection) => postMail(connection.port, message)),
      logger: createConsoleLogger({ prefix: `conversation ${this.id}` }),
    });
    return this.#delegation;
  }

  async #runClientTool(callId: string, name: string, args: Record<string, unknown>, toolCallId: string): Promise<void> {
    const outcome = await this.#clientToolHost().run(callId, name, args, toolCallId);
    if (!outcome) return;
    const connection = await this.#connection;
    postMail(connection.port, outcome);
  }

  /** A sub-agent of this conversation's delegate tool: a conversation on the same host, storage, workspace and secrets. */
  #startChild(spec: SubAgentSpec): Conversation {
    const { persistenceDir, storage, durability, maxIterationsPerRun } = this.#options;
    return new Conversation({
      ...{ persistenceDir, storage, durability, maxIterationsPerRun: spec.maxIterationsPerRun ?? maxIterationsPerRun },
      agent: Agent.fromConfig(spec.agent),
      conversationId: spec.conversationId,
      workspace: this.#state.workspace ?? this.#options.workspace ?? process.cwd(),
      secrets: { ...this.#secretValues },
      confirmationPolicy: spec.confirmationPolicy,
      parentConversationId: this.id,
      supervisor: this.#host,
    });
  }

  // ---------------------------------------------------------------- crash and restore

  #onCrash(cause: unknown, restoring: boolean): void {
    if (this.#closed) return;
    const restorable = this.#storage.kind !== 'memory' && !restoring;
    const fate = restorable
      ? ' It is restored from its stored state on a fresh thread.'
      : this.#storage.kind === 'memory'
        ? ' Its state was lost: it was kept in memory only (persistenceDir: false).'
        : ' It had been restored once already and is not restored again.';
    const error = new ActorCrashedError(`The worker thread of conversation ${this.id} died: ${errorMessage(cause)}.${fate}`, { cause });
    this.#crash = { error };
    this.#inflight?.forEach((reject) => reject(error));
    this.#inflight?.clear();
    this.#clientTools?.cancelAll();
    const event = createEvent({ kind: 'ConversationErrorEvent', source: 'environment', code: 'WorkerCrashed', detail: error.message });
    this.#state = { ...this.#state, status: 'error', lastError: { code: 'WorkerCrashed', detail: error.message } };
    this.emitStatus('error');
    this.deliver([{ seq: null, event }]);
    if (restorable) {
      this.#connection = this.#connect(true);
      this.#connection.then(
        () => {
          if (this.#host.restoreAs === 'running') void this.run().catch(() => undefined);
        },
        () => undefined,
      );
    } else {
      this.endStreams();
    }
  }

  // ---------------------------------------------------------------- control

  async #call<T>(command: ActorCommandBody): Promise<T> {
    if (this.#closed) throw new ConversationClosedError(`Conversation ${this.id} is closed; open it again to use it.`);
    const connection = await this.#connection;
    if (this.#crash) throw this.#crash.error;
    const inflight = (this.#inflight ??= new Set());
    return new Promise<T>((resolve, reject) => {
      inflight.add(reject);
      connection
        .track(connection.remote.dispatch({ v: MAILBOX_VERSION, ...command }))
        .then((value) => resolve(value as T), reject)
        .finally(() => inflight.delete(reject));
    });
  }

  snapshot(): Promise<ConversationSnapshot> {
    return this.#call({ type: 'get_snapshot' });
  }

  sendMessage(message: UserMessageInput, options: { sender?: string } = {}): Promise<MessageAck> {
    return this.#call({ type: 'send_message', message, ...(options.sender ? { sender: options.sender } : {}) });
  }

  async run(): Promise<ConversationStatus> {
    try {
      return await this.#call<ConversationStatus>({ type: 'run' });
    } catch (error) {
      if (error instanceof ActorCrashedError) return 'error';
      throw error;
    }
  }

  pause(): Promise<void> {
    return this.#call({ type: 'pause' });
  }

  interrupt(): Promise<void> {
    return this.#call({ type: 'interrupt' });
  }

  approve(): Promise<ConversationStatus> {
    return this.run();
  }

  rejectPendingActions(reason?: string): Promise<number> {
    return this.#call({ type: 'reject_pending_actions', ...(reason === undefined ? {} : { reason }) });
  }

  setConfirmationPolicy(policy: ConfirmationPolicyInput): Promise<void> {
    return this.#call({ type: 'set_confirmation_policy', policy });
  }

  async updateSecrets(secrets: Record<string, string>): Promise<void> {
    Object.assign(this.#secretValues, secrets);
    this.#clientTools?.context.secrets.update(secrets);
    await this.#call({ type: 'update_secrets', secrets });
  }

  setTitle(title: string): Promise<void> {
    return this.#call({ type: 'set_title', title });
  }

  condense(): Promise<void> {
    return this.#call({ type: 'condense' });
  }

  /**
   * A new conversation on the same host and storage, with a copy of this one's events (see
   * `ConversationHandle.fork`); its callbacks are not copied. Resolves once it is up (and stored).
   */
  async fork(options: ForkOptions = {}): Promise<Conversation> {
    const { upToEventId, resetMetrics = true, conversationId = randomId() } = options;
    if (this.#host.get(conversationId)) throw new ConversationExistsError(`Conversation ${conversationId} is open already; fork into a new conversation id (or omit it to get one).`);
    const source = await this.#call<ForkSource>({ type: 'fork_source', ...(upToEventId === undefined ? {} : { upToEventId }), keepStats: !resetMetrics });
    const agent = Agent.fromConfig((options.agent ?? this.#options.agent)?.config ?? source.agent);
    const { callbacks: _callbacks, title: _title, ...inherited } = this.#options;
    const fork = new Conversation(
      {
        ...inherited,
        agent,
        conversationId,
        secrets: { ...this.#secretValues },
        ...(options.title === undefined ? {} : { title: options.title }),
        supervisor: this.#host,
      },
      source.seed,
    );
    try {
      await fork.ready();
    } catch (error) {
      await fork.close();
      throw error;
    }
    return fork;
  }

  /** Asks the agent a question over its context, in the actor (see `ConversationHandle.askAgent`). */
  askAgent(question: string): Promise<string> {
    return this.#call({ type: 'ask_agent', question });
  }

  generateTitle(options: GenerateTitleInput = {}): Promise<string> {
    return this.#call({ type: 'generate_title', ...(options.llm ? { llm: options.llm.config } : {}), ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }) });
  }

  /** Events `from`.. of the log (at most `limit`, up to 10,000), read from the actor. */
  getEvents(from = 0, limit = 1000): Promise<Event[]> {
    return this.#call<Event[]>({ type: 'get_events', from, limit });
  }

  /** One page of matching events, searched in the actor (only the page crosses the thread). */
  searchEvents(query: EventSearchInput = {}): Promise<EventPage> {
    return this.#call({ type: 'search_events', query });
  }

  countEvents(filter: EventFilter = {}): Promise<number> {
    return this.#call({ type: 'count_events', filter });
  }

  getEvent(eventId: string): Promise<Event | null> {
    return this.#call({ type: 'get_event', eventId });
  }

  /** The sequence number of the first event at or after a time (the log's length when there is none). */
  firstSeqAt(timestamp: string): Promise<number> {
    return this.#call({ type: 'first_seq_at', timestamp });
  }

  /** Interrupts a run in progress, closes the tools, flushes the state and ends the actor. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    await this.#delegation?.close();
    try {
      const connection = await this.#connection;
      if (!this.#crash) {
        await this.#call({ type: 'close' });
        await connection.task.catch(() => undefined);
      }
      connection.dispose();
    } catch {
      // An actor that never started or already died has nothing to close.
    } finally {
      this.#closed = true;
      // A call that reached the actor after it closed is never answered: fail it instead.
      const closed = new ConversationClosedError(`Conversation ${this.id} is closed.`);
      this.#inflight?.forEach((reject) => reject(closed));
      this.#inflight?.clear();
      await this.callbacksDrained();
      this.endStreams();
      this.#host.release(this);
    }
  }
}
