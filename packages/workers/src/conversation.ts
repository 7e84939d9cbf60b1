import { randomUUID } from 'node:crypto';
import {
  type Agent,
  type AgentConfig,
  type ConfirmationPolicy,
  type ConfirmationPolicyInput,
  type ConversationStats,
  type ConversationStatus,
  type Durability,
  emptyStats,
  errorMessage,
  type Event,
  type MessageAck,
  type Observation,
  reviveError,
  SecretRegistry,
  type StuckDetectionInput,
  type StuckThresholds,
  type TokenEvent,
  type ToolDefinition,
  toObservation,
  toParametersJsonSchema,
  type UserMessageInput,
  ConversationClosedError,
  createEvent,
  createConsoleLogger,
  DEFAULT_MAX_ITERATIONS,
  normalizeConfirmationPolicy,
  normalizeStuckDetection,
} from '@troupe/core';
import { EventEmitter } from 'eventemitter3';
import type { ActorConnection, ActorReady } from './actor-connection.js';
import { EventStream, type EventStreamOptions } from './event-stream.js';
import {
  type ActorCommandBody,
  type ActorInit,
  type ActorOutbound,
  type ActorState,
  EventBatchEnvelopeSchema,
  MAILBOX_VERSION,
  parseMailboxMessage,
  type SequencedEvent,
} from './mailbox.js';
import { ActorCrashedError } from './errors.js';
import { postMail } from './port-endpoint.js';
import type { Supervisor } from './supervisor.js';

export type ConversationCallback = (event: Event) => void | Promise<void>;

export interface ConversationOptions {
  /** Required for a new conversation; on resume the stored agent is used when omitted. */
  agent?: Agent;
  /** Where tools work. Default: the current directory (a new one is created if missing). */
  workspace?: string;
  /** Persist to `persistenceDir/<conversationId>/`; an existing one there is resumed. */
  persistenceDir?: string;
  conversationId?: string;
  /** Called on the main thread for every event, in order; async callbacks are awaited in turn. */
  callbacks?: ConversationCallback[];
  maxIterationsPerRun?: number;
  stuckDetection?: StuckDetectionInput;
  confirmationPolicy?: ConfirmationPolicyInput;
  /** Stop with an error once the conversation has cost this many USD. */
  maxCost?: number;
  secrets?: Record<string, string>;
  /** Tools that run on the main thread; the actor calls them over the mailbox. */
  clientTools?: ToolDefinition[];
  durability?: Durability;
  /** `dedicated` gives the conversation a thread of its own. */
  isolation?: 'shared' | 'dedicated';
  title?: string;
  supervisor?: Supervisor;
}

/** A snapshot of a conversation, like OpenHands' ConversationInfo. */
export interface ConversationInfo {
  id: string;
  status: ConversationStatus;
  agent?: AgentConfig;
  workspace?: string;
  persistenceDir?: string;
  stats: ConversationStats;
  title?: string;
  createdAt?: string;
  updatedAt?: string;
  eventCount: number;
  threadId?: number;
  lastError?: { code: string; detail: string };
  confirmationPolicy: ConfirmationPolicy;
  maxIterationsPerRun: number;
  stuckDetection: StuckThresholds | false;
  maxCost?: number;
  /** Names of the secrets, never their values. */
  secretNames: string[];
}

export interface ConversationEvents {
  event: (event: Event, seq: number | null) => void;
  status: (status: ConversationStatus) => void;
  token: (event: TokenEvent) => void;
  /** A callback threw; the run and the event are unaffected. */
  error: (error: Error, event: Event) => void;
}

let defaultSupervisor: Promise<Supervisor> | null = null;

/** The supervisor `new Conversation()` uses when none is given: created on first use. */
async function getDefaultSupervisor(): Promise<Supervisor> {
  defaultSupervisor ??= import('./supervisor.js').then(({ Supervisor }) => new Supervisor());
  return defaultSupervisor;
}

/**
 * A conversation: the handle, on the main thread, of an actor in a worker thread. Every method
 * is a mailbox send; `state` and `stats` are mirrored from the actor's event batches.
 */
export class Conversation {
  readonly id: string;
  readonly #options: ConversationOptions;
  readonly #emitter = new EventEmitter<ConversationEvents>();
  readonly #secrets: SecretRegistry;
  readonly #secretValues: Record<string, string>;
  readonly #clientTools: Map<string, ToolDefinition>;
  readonly #clientCalls = new Map<string, AbortController>();
  readonly #streams = new Set<EventStream>();
  #connection: Promise<ActorConnection>;
  #supervisor: Supervisor | null = null;
  #ready: ActorReady | null = null;
  /** The agent config as shown in `state`: without its API key. */
  #shownAgent: AgentConfig | undefined;
  #state: ActorState;
  #crash: { error: ActorCrashedError } | null = null;
  /** Rejecters of calls awaiting the actor: a dead thread fails them at once. */
  readonly #inflight = new Set<(error: Error) => void>();
  #closing: Promise<void> | null = null;
  #callbackQueue: Promise<void> = Promise.resolve();
  #closed = false;
  #tokensEnabled = false;
  /** Counts actor connections; mail from an older (dead) one may still arrive and must not set the state. */
  #generation = 0;

  constructor(options: ConversationOptions) {
    this.id = options.conversationId ?? randomUUID();
    this.#options = options;
    this.#secretValues = { ...options.secrets };
    this.#secrets = new SecretRegistry(options.secrets);
    this.#clientTools = new Map((options.clientTools ?? []).map((tool) => [tool.name, tool]));
    const now = new Date().toISOString();
    // Until the actor reports, the state is what the options say.
    this.#state = {
      status: 'idle',
      stats: emptyStats(),
      createdAt: now,
      updatedAt: now,
      eventCount: 0,
      confirmationPolicy: normalizeConfirmationPolicy(options.confirmationPolicy),
      maxIterationsPerRun: options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS,
      stuckDetection: normalizeStuckDetection(options.stuckDetection),
      secretNames: Object.keys(options.secrets ?? {}),
    };
    this.#connection = this.#connect(false);
    // Failures surface on the next call; an unobserved one must not crash the process.
    this.#connection.catch(() => undefined);
  }

  async #connect(restoring: boolean): Promise<ActorConnection> {
    const supervisor = (this.#supervisor ??= this.#options.supervisor ?? (await getDefaultSupervisor()));
    const generation = ++this.#generation;
    const connection = await supervisor.startActor(this, this.#init(), this.#options.isolation, (message) => this.#onMail(message, generation));
    this.#ready = connection.ready;
    const { apiKey: _apiKey, ...llm } = connection.ready.agent.llm;
    this.#shownAgent = { ...connection.ready.agent, llm };
    this.#crash = null;
    this.#setState(connection.ready.state);
    connection.task.catch((error: unknown) => this.#onCrash(error, restoring));
    return connection;
  }

  #init(): ActorInit {
    const o = this.#options;
    return {
      v: MAILBOX_VERSION,
      conversationId: this.id,
      ...(o.agent ? { agent: o.agent.config } : {}),
      ...(o.workspace === undefined ? {} : { workspace: o.workspace }),
      ...(o.persistenceDir === undefined ? {} : { persistenceDir: o.persistenceDir }),
      ...(o.durability === undefined ? {} : { durability: o.durability }),
      ...(o.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: o.maxIterationsPerRun }),
      ...(o.stuckDetection === undefined ? {} : { stuckDetection: o.stuckDetection }),
      ...(o.confirmationPolicy === undefined ? {} : { confirmationPolicy: o.confirmationPolicy }),
      ...(o.maxCost === undefined ? {} : { maxCost: o.maxCost }),
      secrets: this.#secretValues,
      ...(o.title === undefined ? {} : { title: o.title }),
      clientTools: [...this.#clientTools.values()].map((tool) => ({
        name: tool.name,
        description: tool.description,
        parameters: toParametersJsonSchema(tool),
        readOnly: tool.readOnly,
      })),
      streamTokens: this.#tokensEnabled,
    };
  }

  /** Resolves once the actor is running in its thread (calls wait for it anyway). */
  async ready(): Promise<void> {
    await this.#connection;
  }

  /** True when the conversation was loaded from its persistence directory rather than started anew. */
  get resumed(): boolean {
    return this.#ready?.resumed ?? false;
  }

  get isPersisted(): boolean {
    return this.#options.persistenceDir !== undefined;
  }

  /** A snapshot: status, agent, workspace, stats, title, timestamps. */
  get state(): ConversationInfo {
    const ready = this.#ready;
    return {
      id: this.id,
      status: this.#state.status,
      ...(ready ? { agent: this.#shownAgent!, workspace: ready.workspace, threadId: ready.threadId } : {}),
      ...(this.#options.persistenceDir === undefined ? {} : { persistenceDir: this.#options.persistenceDir }),
      stats: this.#state.stats,
      ...(this.#state.title === undefined ? {} : { title: this.#state.title }),
      createdAt: this.#state.createdAt,
      updatedAt: this.#state.updatedAt,
      eventCount: this.#state.eventCount,
      ...(this.#state.lastError ? { lastError: this.#state.lastError } : {}),
      confirmationPolicy: this.#state.confirmationPolicy,
      maxIterationsPerRun: this.#state.maxIterationsPerRun,
      stuckDetection: this.#state.stuckDetection,
      secretNames: this.#state.secretNames,
      ...(this.#state.maxCost === undefined ? {} : { maxCost: this.#state.maxCost }),
    };
  }

  get status(): ConversationStatus {
    return this.#state.status;
  }

  /** Metrics per usage id, with accumulated cost and tokens (per-call lists left out). */
  get stats(): ConversationStats {
    return this.#state.stats;
  }

  // ---------------------------------------------------------------- events

  on<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    if (event === 'token') this.#enableTokens();
    this.#emitter.on(event, listener as never);
    return this;
  }

  once<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    if (event === 'token') this.#enableTokens();
    this.#emitter.once(event, listener as never);
    return this;
  }

  off<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.#emitter.off(event, listener as never);
    return this;
  }

  #enableTokens(): void {
    if (this.#tokensEnabled) return;
    this.#tokensEnabled = true;
    void this.#call({ type: 'set_stream_tokens', enabled: true }).catch(() => undefined);
  }

  /**
   * Events as an async iterator, from `fromIndex` (default 0: the whole history, then live).
   * Memory stays bounded: a slow reader is served from the actor's log instead of a growing
   * buffer, and no event is dropped or repeated.
   */
  stream(fromIndex = 0, options: EventStreamOptions = {}): AsyncIterableIterator<Event> {
    const stream = new EventStream(fromIndex, options, {
      fetch: (from, limit) => this.getEvents(from, limit),
      knownCount: () => this.#state.eventCount,
      isSettled: () => this.#closed || (this.#state.status !== 'running'),
      detach: () => this.#streams.delete(stream),
    });
    this.#streams.add(stream);
    return stream;
  }

  /** Events `from`.. of the log (at most `limit`, up to 10,000), read from the actor. */
  getEvents(from = 0, limit = 1000): Promise<Event[]> {
    return this.#call<Event[]>({ type: 'get_events', from, limit });
  }

  #onMail(message: ActorOutbound, generation: number): void {
    switch (message.type) {
      case 'events': {
        const batch = parseMailboxMessage(EventBatchEnvelopeSchema, message, 'event batch');
        const current = generation === this.#generation && !this.#crash;
        this.#deliver(batch.events as SequencedEvent[], current ? batch.state : undefined);
        break;
      }
      case 'client_tool_call':
        void this.#runClientTool(message.callId, message.name, message.args, message.toolCallId);
        break;
      case 'client_tool_cancel':
        this.#clientCalls.get(message.callId)?.abort();
        break;
      default:
        break;
    }
  }

  /** Event count and update time follow from the events of a batch that came without a state. */
  #advance(events: readonly SequencedEvent[]): void {
    let last: SequencedEvent | undefined;
    for (const item of events) if (item.seq !== null && item.seq >= (last?.seq ?? this.#state.eventCount)) last = item;
    if (last) this.#state = { ...this.#state, eventCount: last.seq! + 1, updatedAt: last.event.timestamp };
  }

  #setState(state: ActorState): void {
    const previous = this.#state.status;
    this.#state = state;
    if (state.status !== previous) this.#emitter.emit('status', state.status);
  }

  #deliver(events: readonly SequencedEvent[], state: ActorState | undefined): void {
    if (state) this.#setState(state);
    else this.#advance(events);
    for (const { seq, event } of events) {
      this.#emitter.emit('event', event, seq);
      if (event.kind === 'TokenEvent') {
        this.#emitter.emit('token', event);
        continue;
      }
      for (const stream of this.#streams) stream.push(seq!, event);
      this.#runCallbacks(event);
    }
    for (const stream of this.#streams) stream.wake();
  }

  /** Runs the callbacks on an event, after those of every earlier event; one that throws is reported, not fatal. */
  #runCallbacks(event: Event): void {
    const callbacks = this.#options.callbacks;
    if (!callbacks || callbacks.length === 0) return;
    this.#callbackQueue = this.#callbackQueue.then(async () => {
      for (const callback of callbacks) {
        try {
          await callback(event);
        } catch (error) {
          const reported = error instanceof Error ? error : new Error(String(error));
          createConsoleLogger({ prefix: `conversation ${this.id}` }).error(`A callback threw on ${event.kind} ${event.id}: ${errorMessage(error)}; the run goes on.`);
          this.#emitter.emit('error', reported, event);
        }
      }
    });
  }

  async #runClientTool(callId: string, name: string, args: Record<string, unknown>, toolCallId: string): Promise<void> {
    const tool = this.#clientTools.get(name);
    const controller = new AbortController();
    this.#clientCalls.set(callId, controller);
    let observation: Observation;
    try {
      if (!tool) throw new Error(`Client tool '${name}' is not registered on this conversation.`);
      const parsed = tool.parameters.safeParse(args);
      if (!parsed.success) {
        observation = toObservation({
          content: `Error validating tool '${name}': ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Parameters provided: [${Object.keys(args).join(', ')}]`,
          isError: true,
        });
      } else {
        const workspace = this.#ready?.workspace ?? process.cwd();
        observation = toObservation(await tool.execute(parsed.data, { conversationId: this.id, workspace, toolCallId, signal: controller.signal, secrets: this.#secrets }));
      }
    } catch (error) {
      observation = toObservation({ content: `Error executing tool '${name}': ${errorMessage(error)}`, isError: true });
    } finally {
      this.#clientCalls.delete(callId);
    }
    if (controller.signal.aborted) return;
    const connection = await this.#connection;
    postMail(connection.port, { v: MAILBOX_VERSION, type: 'client_tool_result', callId, output: this.#secrets.maskDeep(observation) });
  }

  // ---------------------------------------------------------------- crash and restore

  #onCrash(cause: unknown, restoring: boolean): void {
    if (this.#closed) return;
    const error = new ActorCrashedError(
      `The worker thread of conversation ${this.id} died: ${errorMessage(cause)}.${this.isPersisted ? ' It is restored from its persisted state.' : ' Its state was lost (it was not persisted).'}`,
      { cause },
    );
    this.#crash = { error };
    for (const reject of this.#inflight) reject(error);
    this.#inflight.clear();
    for (const controller of this.#clientCalls.values()) controller.abort();
    const event = createEvent({ kind: 'ConversationErrorEvent', source: 'environment', code: 'WorkerCrashed', detail: error.message });
    const lastError = { code: 'WorkerCrashed', detail: error.message };
    this.#setState({ ...this.#state, status: 'error', lastError });
    this.#deliver([{ seq: null, event }], undefined);
    if (this.isPersisted && !restoring) {
      this.#connection = this.#connect(true);
      this.#connection.then(
        () => this.#supervisor?.afterRestore(this),
        () => undefined,
      );
    } else {
      for (const stream of this.#streams) stream.end();
    }
  }

  // ---------------------------------------------------------------- control

  async #call<T>(command: ActorCommandBody): Promise<T> {
    if (this.#closed) throw new ConversationClosedError(`Conversation ${this.id} is closed; open it again to use it.`);
    const connection = await this.#connection;
    if (this.#crash) throw this.#crash.error;
    return new Promise<T>((resolve, reject) => {
      this.#inflight.add(reject);
      connection
        .track(connection.remote.dispatch({ v: MAILBOX_VERSION, ...command }))
        .then(
          (value) => resolve(value as T),
          (error: unknown) => reject(reviveError(error as Error)),
        )
        .finally(() => this.#inflight.delete(reject));
    });
  }

  /** Adds a user message; while running it is admitted at the next step boundary and never lost. */
  sendMessage(message: UserMessageInput, options: { sender?: string } = {}): Promise<MessageAck> {
    return this.#call({ type: 'send_message', message, ...(options.sender ? { sender: options.sender } : {}) });
  }

  /** Runs until finished, paused, waiting for confirmation, stuck or failed; a second call joins the first. */
  async run(): Promise<ConversationStatus> {
    try {
      return await this.#call<ConversationStatus>({ type: 'run' });
    } catch (error) {
      if (error instanceof ActorCrashedError) return 'error';
      throw error;
    }
  }

  /** Stops at the next step boundary (the current model call and tools finish). Resolves when stopped. */
  pause(): Promise<void> {
    return this.#call({ type: 'pause' });
  }

  /** Aborts the model call and running tools now; the conversation becomes paused. */
  interrupt(): Promise<void> {
    return this.#call({ type: 'interrupt' });
  }

  /** Runs the actions waiting for confirmation. */
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
    this.#secrets.update(secrets);
    await this.#call({ type: 'update_secrets', secrets });
  }

  setTitle(title: string): Promise<void> {
    return this.#call({ type: 'set_title', title });
  }

  /** Interrupts a run in progress, closes the tools, flushes the state and ends the actor. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
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
      for (const reject of this.#inflight) reject(closed);
      this.#inflight.clear();
      await this.#callbackQueue;
      for (const stream of this.#streams) stream.end();
      this.#supervisor?.forget(this);
    }
  }
}
