import type { AnthropicRequestRecord } from './mock-anthropic-request.js';
import type { ResponsesRequestRecord } from './mock-responses-request.js';
import type { MockFault } from './mock-script.js';
import type { MockTokenUsage } from './mock-usage.js';
import type { MockApi } from './mock-wire.js';

/** The mock server's log of model requests, and waiting for requests to arrive. */

export const CONVERSATION_ID_HEADER = 'x-troupe-conversation-id';

export interface RecordedRequest {
  /** The wire protocol: `openai` (POST /v1/chat/completions), `anthropic` (POST /v1/messages) or `openai-responses` (POST /v1/responses). */
  api: MockApi;
  /** The request path with its query string (Azure's `api-version` is there). */
  path: string;
  conversationId: string | null;
  turn: number;
  attempt: number;
  stream: boolean;
  /** The parsed JSON request body (ChatCompletionCreateParams or MessageCreateParams); null when it was not JSON. */
  body: any;
  headers: Record<string, string>;
  /** Date.now() when the request body was read. */
  receivedAt: number;
  /**
   * `aborted`: the client disconnected before the answer was complete. `rejected`: the mock refused
   * the request (see `rejection`); one refused as invalid does not use up an attempt of the turn.
   */
  outcome: 'pending' | 'replied' | 'fault' | 'aborted' | 'rejected';
  fault?: MockFault['type'];
  /** Why the request was refused, as sent in the error answer. */
  rejection?: { status: number; message: string };
  /** The usage the reply reported. */
  usage?: MockTokenUsage;
  /** Anthropic route: the validated request, its cache breakpoints and the thinking blocks it sent back. */
  anthropic?: AnthropicRequestRecord;
  /** Responses route: the reasoning items it sent back, checked. */
  responses?: ResponsesRequestRecord;
}

const DEFAULT_WAIT_TIMEOUT_MS = 10_000;

interface Waiter {
  conversationId: string | undefined;
  count: number;
  matched: RecordedRequest[];
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class RequestLog {
  /** Live, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  readonly #waiters = new Set<Waiter>();

  /** `url` names the server in timeout messages. */
  constructor(
    readonly enabled: boolean,
    private readonly url: () => string,
  ) {}

  add(record: RecordedRequest): void {
    if (!this.enabled) return;
    this.requests.push(record);
    for (const waiter of this.#waiters) {
      if (waiter.conversationId !== undefined && waiter.conversationId !== record.conversationId) continue;
      waiter.matched.push(record);
      if (waiter.matched.length < waiter.count) continue;
      clearTimeout(waiter.timer);
      this.#waiters.delete(waiter);
      waiter.resolve(waiter.matched);
    }
  }

  requestsFor(conversationId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.conversationId === conversationId);
  }

  /** Resolves with the matching requests once at least `count` were received. */
  waitFor(count: number, options: { conversationId?: string; timeoutMs?: number } = {}): Promise<RecordedRequest[]> {
    if (!this.enabled) {
      return Promise.reject(new Error('waitForRequests needs the request log: start the mock server with recordRequests: true (the default).'));
    }
    const { conversationId, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS } = options;
    const matched = conversationId === undefined ? [...this.requests] : this.requestsFor(conversationId);
    if (matched.length >= count) return Promise.resolve(matched);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        conversationId,
        count,
        matched,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          const scope = conversationId === undefined ? '' : ` for conversation "${conversationId}"`;
          const hint = conversationId === undefined ? '' : ` and sends the ${CONVERSATION_ID_HEADER} header`;
          reject(
            new Error(
              `waitForRequests timed out after ${timeoutMs} ms: expected ${count} request(s)${scope}, received ${waiter.matched.length}. ` +
                `Check that the client uses baseURL ${this.url()}${hint}, or raise timeoutMs.`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  clear(): void {
    // Emptied in place so that references to the live log stay live.
    this.requests.length = 0;
    for (const waiter of this.#waiters) waiter.matched.length = 0;
  }

  /** Rejects every pending wait: the server is closing. */
  close(): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(`The mock server at ${this.url()} was closed while waitForRequests(${waiter.count}) was waiting.`));
    }
    this.#waiters.clear();
  }
}
