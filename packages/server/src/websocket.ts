import { randomUUID } from 'node:crypto';
import { createEvent, errorMessage, type Event, formatZodIssues, type StreamingDeltaEvent } from '@troupe/core';
import type { FastifyInstance } from 'fastify';
import { WebSocket } from 'ws';
import { SESSION_KEY_HEADER, type SessionKeys } from './auth.js';
import type { BrowserSessions } from './browser-session.js';
import type { ConversationService, OpenConversation } from './conversation-service.js';
import { jsonTextProblem } from './bounded-json.js';
import { HttpError } from './http-error.js';
import { type SocketQuery, SocketMessageSchema, SocketQuerySchema } from './wire-schemas.js';

/** Close codes (4xxx are OpenHands' own; 1013 "try again later" for a slow consumer). */
export const CLOSE_CODES = { authFailed: 4001, notFound: 4004, slowConsumer: 1013, badRequest: 1008, conversationClosed: 1001, internal: 1011 } as const;

export interface SocketLimits {
  /** Unsent bytes a subscriber may fall behind by before it is disconnected as a slow consumer. */
  maxBufferedBytes: number;
  /** Time a client has to send its auth frame when it gave no key on connect. */
  authTimeoutMs: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = { maxBufferedBytes: 8 * 1024 * 1024, authTimeoutMs: 10_000 };

/**
 * `/sockets/events/{conversation_id}`: authenticate, push a `full_state` snapshot, replay the
 * history asked for, then every event live, in order, exactly once. Frames sent by the client are
 * user messages that run the agent.
 */
export function installEventSocket(app: FastifyInstance, service: ConversationService, auth: { keys: SessionKeys; sessions: BrowserSessions }, limits: SocketLimits): void {
  const { keys, sessions } = auth;
  app.get('/sockets/events/:conversation_id', { websocket: true, schema: { hide: true }, config: { access: 'socket' } }, (socket, request) => {
    const { conversation_id: conversationId } = request.params as { conversation_id: string };
    const header = request.headers[SESSION_KEY_HEADER];
    // The dashboard's socket carries its browser session cookie, from a page of this server.
    const browserSession = sessions.authenticates(request, { changesState: true });
    new EventSocketSession(socket, { service, keys, limits, conversationId, query: request.query, headerKey: typeof header === 'string' ? header : undefined, browserSession }).start();
  });
}

interface SessionOptions {
  service: ConversationService;
  keys: SessionKeys;
  limits: SocketLimits;
  conversationId: string;
  query: unknown;
  headerKey: string | undefined;
  /** The upgrade request carried a live browser session cookie and this server's Origin. */
  browserSession: boolean;
}

const isAuthFrame = (frame: unknown): frame is { type: 'auth'; session_api_key?: unknown } =>
  typeof frame === 'object' && frame !== null && (frame as { type?: unknown }).type === 'auth';

/** One subscriber. Its sends are bounded by `maxBufferedBytes`: past it the socket is closed, never buffered further. */
class EventSocketSession {
  readonly #socket: WebSocket;
  readonly #options: SessionOptions;
  #query: SocketQuery = {};
  #authenticated = false;
  #authTimer: NodeJS.Timeout | undefined;
  #conversation: OpenConversation | null = null;
  #unsubscribe: (() => void) | null = null;
  #stream: AsyncIterableIterator<Event> | null = null;
  /** The sequence number of the next event this socket will send. */
  #nextSeq = 0;
  /** A run ended: send a `full_state` once the events up to this count were sent. */
  #snapshotDueAt: number | null = null;
  #disposed = false;

  constructor(socket: WebSocket, options: SessionOptions) {
    this.#socket = socket;
    this.#options = options;
  }

  start(): void {
    const socket = this.#socket;
    // Listeners are attached at once so no early frame is lost.
    socket.on('message', (data) => this.#onFrame(data.toString()));
    socket.on('close', () => this.#dispose());
    socket.on('error', () => this.#dispose());
    const query = SocketQuerySchema.safeParse(this.#options.query);
    if (!query.success) return this.#close(CLOSE_CODES.badRequest, `Invalid query: ${formatZodIssues(query.error)}`);
    this.#query = query.data;
    const { keys, headerKey, limits } = this.#options;
    const presented = headerKey ?? this.#query.session_api_key;
    if (!keys.required || this.#options.browserSession) return void this.#onAuthenticated();
    if (presented !== undefined) return keys.accepts(presented) ? void this.#onAuthenticated() : this.#close(CLOSE_CODES.authFailed, 'Authentication failed');
    this.#authTimer = setTimeout(() => this.#close(CLOSE_CODES.authFailed, 'Authentication timed out'), limits.authTimeoutMs);
  }

  #onFrame(text: string): void {
    const tooComplex = jsonTextProblem(text);
    if (tooComplex) {
      if (!this.#authenticated) return this.#close(CLOSE_CODES.authFailed, 'Authentication failed');
      return this.#sendError('InvalidJSON', `The frame ${tooComplex}.`);
    }
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      if (!this.#authenticated) return this.#close(CLOSE_CODES.authFailed, 'Authentication failed');
      return this.#sendError('InvalidJSON', 'The frame is not JSON: send {"role":"user","content":[{"type":"text","text":"…"}]}.');
    }
    if (isAuthFrame(frame)) {
      // Clients may always send an auth frame; once authenticated it is ignored.
      if (this.#authenticated) return;
      const key = typeof frame.session_api_key === 'string' ? frame.session_api_key : undefined;
      return this.#options.keys.accepts(key) ? void this.#onAuthenticated() : this.#close(CLOSE_CODES.authFailed, 'Authentication failed');
    }
    if (!this.#authenticated) return this.#close(CLOSE_CODES.authFailed, 'Authentication required: send {"type":"auth","session_api_key":"…"} first.');
    const message = SocketMessageSchema.safeParse(frame);
    if (!message.success) {
      return this.#sendError('ValidationError', formatZodIssues(message.error, '(frame)'));
    }
    this.#options.service.sendMessage(this.#options.conversationId, { ...message.data, run: true }).catch((error: unknown) => this.#sendError('SendMessageFailed', errorMessage(error)));
  }

  async #onAuthenticated(): Promise<void> {
    clearTimeout(this.#authTimer);
    this.#authenticated = true;
    const { service, conversationId } = this.#options;
    let conversation: OpenConversation;
    let startSeq: number;
    try {
      conversation = await service.open(conversationId);
      if (this.#disposed) return;
      // Subscribed from here on, the conversation is never released as idle under this socket.
      this.#unsubscribe = conversation.idle.subscribe();
      startSeq = await this.#startSeq(conversation);
    } catch (error) {
      if (error instanceof HttpError && error.statusCode === 404) return this.#close(CLOSE_CODES.notFound, 'Conversation not found');
      return this.#close(CLOSE_CODES.internal, 'Could not open the conversation');
    }
    if (this.#disposed) return;
    this.#conversation = conversation;
    this.#nextSeq = startSeq;
    // Subscribe before the snapshot and the replay: the stream reads the log up to the live edge, so nothing is lost or sent twice.
    this.#stream = conversation.handle.stream(startSeq);
    service.on('run_ended', this.#onRunEnded);
    await this.#sendSnapshot();
    if (this.#disposed) return;
    conversation.handle.on('delta', this.#onDelta);
    void this.#pump(this.#stream);
  }

  /** Where the replay starts: everything (`all`), after a sequence number or a time (`since`), or the live edge. */
  async #startSeq(conversation: OpenConversation): Promise<number> {
    const query = this.#query;
    if (query.resend_mode === 'all') return 0;
    if (query.resend_mode === 'since' && query.after_seq !== undefined) return query.after_seq + 1;
    if (query.resend_mode === 'since' && query.after_timestamp !== undefined) {
      return conversation.handle.firstSeqAt(query.after_timestamp);
    }
    return conversation.handle.state.eventCount;
  }

  async #pump(stream: AsyncIterableIterator<Event>): Promise<void> {
    try {
      for await (const event of stream) {
        if (!this.#send(event)) return;
        this.#nextSeq++;
        await this.#sendSnapshotIfDue();
      }
      this.#close(CLOSE_CODES.conversationClosed, 'Conversation closed');
    } catch (error) {
      this.#sendError('StreamFailed', errorMessage(error));
      this.#close(CLOSE_CODES.internal, 'Event stream failed');
    }
  }

  /** After a run, a `full_state` follows the run's last event: the client's signal that the run is over. */
  readonly #onRunEnded = (conversationId: string): void => {
    if (conversationId !== this.#options.conversationId || !this.#conversation) return;
    this.#snapshotDueAt = this.#conversation.handle.state.eventCount;
    void this.#sendSnapshotIfDue();
  };

  /** Streamed pieces of a reply go out as they come (live only: no sequence number, never replayed). */
  readonly #onDelta = (event: StreamingDeltaEvent): void => {
    this.#send(event);
  };

  async #sendSnapshotIfDue(): Promise<void> {
    if (this.#snapshotDueAt === null || this.#nextSeq < this.#snapshotDueAt) return;
    this.#snapshotDueAt = null;
    await this.#sendSnapshot();
  }

  /** A `full_state` with the whole stats, per-call lists included (as OpenHands' has them); the mirrored totals if the actor is gone (closing). */
  async #sendSnapshot(): Promise<void> {
    const conversation = this.#conversation;
    if (!conversation) return;
    const { service } = this.#options;
    const value = await service.fullInfoOf(conversation).catch(() => service.infoOf(conversation));
    this.#send(createEvent({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'full_state', value }));
  }

  #sendError(code: string, detail: string): void {
    this.#send({ kind: 'ServerErrorEvent', id: randomUUID(), timestamp: new Date().toISOString(), source: 'environment', code, detail });
  }

  /** Sends a frame unless the client has fallen too far behind, in which case it is disconnected. */
  #send(payload: unknown): boolean {
    const socket = this.#socket;
    if (this.#disposed || socket.readyState !== WebSocket.OPEN) return false;
    if (socket.bufferedAmount > this.#options.limits.maxBufferedBytes) {
      this.#close(CLOSE_CODES.slowConsumer, 'Slow consumer: too far behind the event stream');
      return false;
    }
    socket.send(JSON.stringify(payload));
    return true;
  }

  #close(code: number, reason: string): void {
    this.#dispose();
    if (this.#socket.readyState === WebSocket.OPEN || this.#socket.readyState === WebSocket.CONNECTING) this.#socket.close(code, reason);
  }

  #dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#authTimer);
    this.#options.service.off('run_ended', this.#onRunEnded);
    this.#conversation?.handle.off('delta', this.#onDelta);
    this.#unsubscribe?.();
    void this.#stream?.return?.();
  }
}
