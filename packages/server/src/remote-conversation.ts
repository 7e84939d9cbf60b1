import { randomUUID } from 'node:crypto';
import {
  type Agent,
  agentFromRecord,
  type ConfirmationPolicyInput,
  type ConversationStats,
  type ConversationStatus,
  emptyStats,
  type Event,
  type MessageAck,
  normalizeConfirmationPolicy,
  toUserMessage,
  type UserMessageInput,
  DEFAULT_MAX_ITERATIONS,
  normalizeStuckDetection,
} from '@troupe/core';
import type { ConversationEvents, ConversationInfo as HandleInfo, EventStreamOptions } from '@troupe/workers';
import { EventEmitter } from 'eventemitter3';
import { agentToWire } from './agent-wire.js';
import { SESSION_KEY_HEADER } from './auth.js';
import { EventSocketClient, type ReconnectOptions } from './event-socket-client.js';
import type { ConversationInfo, StartConversationInput } from './wire-schemas.js';

export interface RemoteConversationOptions {
  /** e.g. `http://127.0.0.1:8000`. */
  serverUrl: string;
  sessionApiKey?: string;
  /** Required to create a conversation; given for an existing one, it restores the agent's API key on the server. */
  agent?: Agent;
  /** The working directory on the server's machine. Default: this process's directory. */
  workspace?: string;
  conversationId?: string;
  maxIterationsPerRun?: number;
  stuckDetection?: boolean;
  confirmationPolicy?: ConfirmationPolicyInput;
  secrets?: Record<string, string>;
  title?: string;
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
const LIVE_BUFFER = 1000;

/**
 * A conversation on an agent server, with the handle API of the local `Conversation`: control
 * calls are REST, events and state arrive over a WebSocket that reconnects by itself and resumes
 * after the last event it saw.
 */
export class RemoteConversation {
  readonly id: string;
  readonly #options: RemoteConversationOptions;
  readonly #emitter = new EventEmitter<ConversationEvents>();
  readonly #ready: Promise<void>;
  readonly #wakers = new Set<() => void>();
  #socket: EventSocketClient | null = null;
  #info: ConversationInfo | null = null;
  #status: ConversationStatus = 'idle';
  #fatal: Error | null = null;
  /** Callers of run() waiting for the `full_state` that follows the end of a run. */
  readonly #runWaiters = new Set<{ resolve: (status: ConversationStatus) => void; reject: (error: Error) => void }>();
  #closed = false;

  constructor(options: RemoteConversationOptions) {
    this.id = options.conversationId ?? randomUUID();
    this.#options = options;
    this.#ready = this.#attach();
    // Failures surface on the next call.
    this.#ready.catch(() => undefined);
  }

  /** Creates (or re-attaches to) the conversation and waits for the first state snapshot. */
  async #attach(): Promise<void> {
    const o = this.#options;
    const info = o.agent
      ? await this.#request<ConversationInfo>('POST', '/api/conversations', {
          agent: agentToWire(o.agent.config),
          workspace: { kind: 'LocalWorkspace', working_dir: o.workspace ?? process.cwd() },
          conversation_id: this.id,
          ...(o.maxIterationsPerRun === undefined ? {} : { max_iterations: o.maxIterationsPerRun }),
          ...(o.stuckDetection === undefined ? {} : { stuck_detection: o.stuckDetection }),
          ...(o.confirmationPolicy === undefined ? {} : { confirmation_policy: normalizeConfirmationPolicy(o.confirmationPolicy) }),
          ...(o.secrets === undefined ? {} : { secrets: o.secrets }),
          ...(o.title === undefined ? {} : { title: o.title }),
        } satisfies StartConversationInput)
      : await this.#request<ConversationInfo>('GET', `/api/conversations/${encodeURIComponent(this.id)}`);
    this.#setInfo(info);
    const socket = new EventSocketClient({ serverUrl: o.serverUrl, conversationId: this.id, sessionApiKey: o.sessionApiKey, lastSeq: info.event_count - 1, reconnect: o.reconnect });
    this.#socket = socket;
    const connected = new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('fatal', reject);
    });
    socket.on('snapshot', (snapshot) => this.#onSnapshot(snapshot));
    socket.on('event', (event, seq) => this.#onEvent(event, seq));
    socket.on('token', (event) => {
      this.#emitter.emit('event', event, null);
      this.#emitter.emit('token', event);
    });
    socket.on('fatal', (error) => this.#onFatal(error));
    socket.connect();
    await connected;
  }

  async ready(): Promise<void> {
    await this.#ready;
  }

  get isPersisted(): boolean {
    return true;
  }

  get status(): ConversationStatus {
    return this.#status;
  }

  get stats(): ConversationStats {
    return this.#info?.stats ?? emptyStats();
  }

  /** A snapshot in the local handle's shape, mirrored from the server. */
  get state(): HandleInfo {
    const info = this.#info;
    const eventCount = Math.max(info?.event_count ?? 0, (this.#socket?.lastSeq ?? -1) + 1);
    if (!info) {
      return {
        id: this.id,
        status: this.#status,
        stats: emptyStats(),
        eventCount,
        confirmationPolicy: { kind: 'NeverConfirm' },
        maxIterationsPerRun: DEFAULT_MAX_ITERATIONS,
        stuckDetection: normalizeStuckDetection(true),
        secretNames: [],
      };
    }
    const { kind: _kind, ...agent } = info.agent;
    return {
      id: this.id,
      status: this.#status,
      agent: agentFromRecord(agent),
      workspace: info.workspace.working_dir,
      persistenceDir: info.persistence_dir,
      stats: info.stats,
      ...(info.title === undefined ? {} : { title: info.title }),
      createdAt: info.created_at,
      updatedAt: info.updated_at,
      eventCount,
      ...(info.last_error ? { lastError: info.last_error } : {}),
      confirmationPolicy: info.confirmation_policy,
      maxIterationsPerRun: info.max_iterations,
      stuckDetection: normalizeStuckDetection(info.stuck_detection),
      secretNames: info.secret_names,
    };
  }

  // ---------------------------------------------------------------- events

  on<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.#emitter.on(event, listener as never);
    return this;
  }

  once<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.#emitter.once(event, listener as never);
    return this;
  }

  off<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this {
    this.#emitter.off(event, listener as never);
    return this;
  }

  #setInfo(info: ConversationInfo): void {
    this.#info = info;
    this.#setStatus(info.execution_status === 'deleting' ? this.#status : info.execution_status);
  }

  #setStatus(status: ConversationStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#emitter.emit('status', status);
    this.#wake();
  }

  #onSnapshot(info: ConversationInfo): void {
    this.#setInfo(info);
    if (this.#status === 'running') return;
    for (const waiter of this.#runWaiters) waiter.resolve(this.#status);
    this.#runWaiters.clear();
  }

  #onEvent(event: Event, seq: number): void {
    if (event.kind === 'ConversationStateUpdateEvent' && event.key === 'execution_status') this.#setStatus(event.value as ConversationStatus);
    this.#emitter.emit('event', event, seq);
    this.#wake();
  }

  #onFatal(error: Error): void {
    this.#fatal = error;
    for (const waiter of this.#runWaiters) waiter.reject(error);
    this.#runWaiters.clear();
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#wakers) wake();
    this.#wakers.clear();
  }

  #news(): Promise<void> {
    return new Promise((resolve) => this.#wakers.add(resolve));
  }

  /**
   * Events as an async iterator, from `fromIndex` (default 0: the whole history, then live).
   * Live events are served from a bounded buffer; a reader that falls behind reads the log over
   * REST, so memory stays bounded and each event comes once, in order.
   */
  stream(fromIndex = 0, options: EventStreamOptions = {}): AsyncIterableIterator<Event> {
    return this.#stream(fromIndex, options.untilIdle ?? false, options.bufferSize ?? LIVE_BUFFER);
  }

  async *#stream(fromIndex: number, untilIdle: boolean, bufferSize: number): AsyncGenerator<Event, void, undefined> {
    await this.ready();
    let next = fromIndex;
    let live: { seq: number; event: Event }[] = [];
    let overflowed = false;
    const listener = (event: Event, seq: number | null): void => {
      if (seq === null || seq < next || overflowed) return;
      if (live.length >= bufferSize) {
        overflowed = true;
        live = [];
        return;
      }
      live.push({ seq, event });
    };
    this.#emitter.on('event', listener);
    try {
      for (;;) {
        live = live.filter((item) => item.seq >= next);
        const head = live[0];
        if (head && head.seq === next) {
          live.shift();
          next++;
          yield head.event;
          continue;
        }
        if (next < this.state.eventCount) {
          overflowed = false;
          for (const event of await this.getEvents(next, PAGE)) {
            next++;
            yield event;
          }
          continue;
        }
        if (this.#closed || this.#fatal || (untilIdle && this.#status !== 'running')) return;
        await this.#news();
      }
    } finally {
      this.#emitter.off('event', listener);
    }
  }

  /** Events `from`.. of the log (at most `limit`), over REST. */
  async getEvents(from = 0, limit = 1000): Promise<Event[]> {
    const events: Event[] = [];
    let pageId: string | null = String(from);
    while (pageId !== null && events.length < limit) {
      const query = new URLSearchParams({ page_id: pageId, limit: String(Math.min(PAGE, limit - events.length)) });
      const page: { items: Event[]; next_page_id: string | null } = await this.#request('GET', `${this.#path()}/events/search?${query}`);
      events.push(...page.items);
      pageId = page.next_page_id;
    }
    return events;
  }

  // ---------------------------------------------------------------- control

  #path(): string {
    return `/api/conversations/${encodeURIComponent(this.id)}`;
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    return payload as T;
  }

  async #control<T>(method: string, path: string, body?: unknown): Promise<T> {
    await this.ready();
    if (this.#fatal) throw this.#fatal;
    return this.#request<T>(method, `${this.#path()}${path}`, body);
  }

  /** Adds a user message; while running it is admitted at the next step boundary and never lost. */
  async sendMessage(message: UserMessageInput): Promise<MessageAck> {
    const { content } = toUserMessage(message);
    const ack = await this.#control<{ message_id: string; queued: boolean }>('POST', '/events', { role: 'user', content, run: false });
    return { id: ack.message_id, queued: ack.queued };
  }

  /** Runs until finished, paused, waiting for confirmation, stuck or failed; joins a run in progress. */
  async run(): Promise<ConversationStatus> {
    await this.ready();
    // Armed before the request: the end-of-run snapshot may arrive before the HTTP answer.
    const ended = new Promise<ConversationStatus>((resolve, reject) => this.#runWaiters.add({ resolve, reject }));
    try {
      await this.#control('POST', '/run');
    } catch (error) {
      // 409: a run is going on; this call joins it.
      if (!(error instanceof RemoteServerError && error.status === 409)) throw error;
    }
    return ended;
  }

  /** Stops at the next step boundary. Resolves when stopped. */
  async pause(): Promise<void> {
    await this.#control('POST', '/pause');
    await this.#notRunning();
  }

  /** Aborts the model call and running tools now; the conversation becomes paused. */
  async interrupt(): Promise<void> {
    await this.#control('POST', '/interrupt');
    await this.#notRunning();
  }

  async #notRunning(): Promise<void> {
    while (this.#status === 'running' && !this.#closed && !this.#fatal) await this.#news();
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

  async setTitle(title: string): Promise<void> {
    await this.#control('PATCH', '', { title });
  }

  /** Deletes the conversation on the server (its workspace stays) and closes this handle. */
  async delete(): Promise<void> {
    await this.#control('DELETE', '');
    this.close();
  }

  /** Stops following the conversation; it stays on the server. */
  close(): void {
    this.#closed = true;
    this.#socket?.close();
    for (const waiter of this.#runWaiters) waiter.reject(new Error(`RemoteConversation ${this.id} was closed.`));
    this.#runWaiters.clear();
    this.#wake();
  }
}
