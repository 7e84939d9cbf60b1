import type { Event, StreamingDeltaEvent } from '@troupe/core';
import { EventEmitter } from 'eventemitter3';
import WebSocket from 'ws';
import { SESSION_KEY_HEADER } from './auth.js';
import { CLOSE_CODES } from './websocket.js';
import type { ConversationInfo } from './wire-schemas.js';

export interface EventSocketClientEvents {
  /** A `full_state`: on every (re)connect, and after each run. */
  snapshot: (info: ConversationInfo) => void;
  /** A logged event with its sequence number. */
  event: (event: Event, seq: number) => void;
  /** A streamed piece of a reply: live only, without a sequence number. */
  delta: (event: StreamingDeltaEvent) => void;
  /** The server refused the subscription for good (bad key, unknown conversation). */
  fatal: (error: Error) => void;
}

export interface ReconnectOptions {
  initialDelayMs?: number;
  maxDelayMs?: number;
}

const FATAL_CODES = new Set<number>([CLOSE_CODES.authFailed, CLOSE_CODES.notFound]);

/**
 * A client of `/sockets/events/{id}` that stays connected: after a drop it reconnects with
 * exponential backoff and asks only for the events after the last one it saw (`resend_mode=since
 * &after_seq`), so nothing is lost, repeated or fetched again. The server sends logged events in
 * sequence order, so a frame's sequence number is the previous one plus one.
 */
export class EventSocketClient extends EventEmitter<EventSocketClientEvents> {
  readonly #url: string;
  readonly #apiKey: string | undefined;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  #lastSeq: number;
  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: { serverUrl: string; conversationId: string; sessionApiKey?: string | undefined; lastSeq: number; reconnect?: ReconnectOptions | undefined }) {
    super();
    this.#url = `${options.serverUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/sockets/events/${encodeURIComponent(options.conversationId)}`;
    this.#apiKey = options.sessionApiKey;
    this.#lastSeq = options.lastSeq;
    this.#initialDelayMs = options.reconnect?.initialDelayMs ?? 100;
    this.#maxDelayMs = options.reconnect?.maxDelayMs ?? 5_000;
  }

  /** The sequence number of the last logged event received (-1 before any). */
  get lastSeq(): number {
    return this.#lastSeq;
  }

  connect(): void {
    if (this.#closed) return;
    const query = this.#lastSeq < 0 ? 'resend_mode=all' : `resend_mode=since&after_seq=${this.#lastSeq}`;
    const socket = new WebSocket(`${this.#url}?${query}`, this.#apiKey ? { headers: { [SESSION_KEY_HEADER]: this.#apiKey } } : {});
    this.#socket = socket;
    socket.on('message', (data) => this.#onFrame(data.toString()));
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#closed) return;
      if (FATAL_CODES.has(code)) {
        this.#closed = true;
        this.emit('fatal', new Error(`The server closed the event socket: ${code} ${reason.toString()}`));
        return;
      }
      this.#scheduleReconnect();
    });
  }

  #scheduleReconnect(): void {
    const delay = Math.min(this.#maxDelayMs, this.#initialDelayMs * 2 ** this.#attempt);
    this.#attempt++;
    this.#timer = setTimeout(() => this.connect(), delay);
  }

  #onFrame(text: string): void {
    const frame = JSON.parse(text) as Event | { kind: 'ServerErrorEvent' };
    switch (frame.kind) {
      case 'ServerErrorEvent':
        return;
      case 'StreamingDeltaEvent':
        this.emit('delta', frame);
        return;
      case 'ConversationStateUpdateEvent':
        if (frame.key === 'full_state') {
          this.#attempt = 0;
          this.emit('snapshot', frame.value as ConversationInfo);
          return;
        }
        break;
      default:
        break;
    }
    this.#lastSeq++;
    this.emit('event', frame, this.#lastSeq);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000);
    this.#socket = null;
  }
}
