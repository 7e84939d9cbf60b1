import { batch, signal } from '@preact/signals';
import { isLiveOnly, streamingDelta } from '../events/event-fields';
import type { ConversationInfo, WireEvent } from '../wire';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** OpenHands' close codes the page acts on. */
const AUTH_FAILED = 4001;
const NOT_FOUND = 4004;
const RECONNECT_MS = 1_000;
/**
 * Frames are applied together at most this often: a fast stream (events and streamed tokens) costs
 * ten renders a second, whatever its rate, and still reads as live.
 */
const FLUSH_MS = 100;

/**
 * One conversation's events, live over `/sockets/events/{id}` (the browser session cookie
 * authenticates the socket): the whole history first (`resend_mode=all`), then each event as it
 * happens; after a lost connection it resumes after the last event it holds
 * (`resend_mode=since&after_seq`). Frames are applied in batches (`FLUSH_MS`), never one render
 * per event.
 */
export class ConversationStream {
  readonly events = signal<readonly WireEvent[]>([]);
  readonly info = signal<ConversationInfo | null>(null);
  /** The model's reply while it streams; cleared when the reply's events arrive. */
  readonly streaming = signal<{ content: string; reasoning: string }>({ content: '', reasoning: '' });
  readonly connection = signal<ConnectionState>('connecting');
  readonly problem = signal<string | null>(null);
  readonly #id: string;
  #pending: WireEvent[] = [];
  #flushScheduled = false;
  /** Events of the log received so far: the next one's sequence number. */
  #logged = 0;
  #socket: WebSocket | null = null;
  #closed = false;

  constructor(id: string) {
    this.#id = id;
    this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close();
    this.connection.value = 'closed';
  }

  #connect(): void {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const resume = this.#logged === 0 ? 'resend_mode=all' : `resend_mode=since&after_seq=${this.#logged - 1}`;
    const socket = new WebSocket(`${scheme}//${window.location.host}/sockets/events/${encodeURIComponent(this.#id)}?${resume}`);
    this.#socket = socket;
    socket.onopen = () => {
      this.connection.value = 'open';
      this.problem.value = null;
    };
    socket.onmessage = (message) => this.#receive(String(message.data));
    socket.onclose = (closed) => {
      if (this.#closed) return;
      if (closed.code === AUTH_FAILED) return window.location.assign('/login');
      if (closed.code === NOT_FOUND) {
        this.problem.value = 'This conversation does not exist (any more).';
        this.connection.value = 'closed';
        return;
      }
      this.connection.value = 'reconnecting';
      setTimeout(() => this.#closed || this.#connect(), RECONNECT_MS);
    };
  }

  #receive(text: string): void {
    let event: WireEvent;
    try {
      event = JSON.parse(text) as WireEvent;
    } catch {
      return;
    }
    if (typeof event?.kind !== 'string') return;
    if (!isLiveOnly(event)) this.#logged++;
    this.#pending.push(event);
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    this.#flushScheduled = false;
    const frames = this.#pending;
    this.#pending = [];
    batch(() => {
      const logged: WireEvent[] = [];
      let info = this.info.value;
      let streaming = this.streaming.value;
      for (const event of frames) {
        const delta = streamingDelta(event);
        if (delta) {
          streaming = { content: streaming.content + delta.content, reasoning: streaming.reasoning + delta.reasoning };
          continue;
        }
        if (event.kind === 'ConversationStateUpdateEvent') info = applyStateUpdate(info, event);
        if (event.kind === 'ServerErrorEvent') this.problem.value = `${String(event.code)}: ${String(event.detail)}`;
        if (event.kind === 'ConversationStateUpdateEvent' && event.key === 'full_state') continue;
        if (event.source === 'agent') streaming = { content: '', reasoning: '' };
        logged.push(event);
      }
      if (logged.length > 0) this.events.value = [...this.events.value, ...logged];
      this.info.value = info;
      this.streaming.value = streaming;
    });
  }
}

/** A state update: the whole snapshot (`full_state`) or one field of it (`execution_status`, `stats`…). */
export function applyStateUpdate(info: ConversationInfo | null, event: WireEvent): ConversationInfo | null {
  const key = typeof event.key === 'string' ? event.key : '';
  if (key === 'full_state') return event.value as ConversationInfo;
  if (!info || !key) return info;
  return { ...info, [key]: event.value };
}
