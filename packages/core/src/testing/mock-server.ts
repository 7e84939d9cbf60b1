import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnthropicWire } from './mock-anthropic.js';
import { serveModelRequest, type ExchangeHost } from './mock-exchange.js';
import { pathOf, readBody, sendJson, sendNoContent } from './mock-http.js';
import { MOCK_MODEL_ID, OpenAiWire, openAiErrorBody } from './mock-openai.js';
import { ResponsesWire } from './mock-openai-responses.js';
import { RequestLog, type RecordedRequest } from './mock-request-log.js';
import { MockTurnBySchema, parseMockReply, parseMockScript, type MockReply, type MockScript, type MockTurnBy } from './mock-script.js';
import { UsageLedger, type MockUsageTotals } from './mock-usage.js';
import type { MockWire } from './mock-wire.js';

/**
 * A real HTTP server on 127.0.0.1 that answers from mock scripts, in OpenAI's chat completions
 * and Responses protocols and in Anthropic's Messages API, so tests, the demo and the bench exercise the real
 * clients and network path without a provider.
 */

export interface MockServerOptions {
  /** Delay before the first byte of every answer, unless the turn sets its own. Default 0. */
  latencyMs?: number;
  /** Script for requests without a conversation id or with one that has no script. Default `[]`. */
  defaultScript?: MockScript;
  /** Scripts by conversation id (the `x-troupe-conversation-id` request header). */
  scripts?: Record<string, MockScript>;
  /**
   * The turn of a request: the number of assistant messages in it (default; a repeated request gets
   * the same reply), or the number of replies served to its conversation so far (`replies`: for
   * conversations whose history is condensed). See mock-script.ts.
   */
  turnBy?: MockTurnBy;
  /** Reply to turns beyond the end of the script. Default `{ type: 'text', text: 'Done.' }`. */
  fallback?: MockReply;
  /** Default 0: a random free port. */
  port?: number;
  /** Keep the request log. Default true; the bench turns it off to save memory. */
  recordRequests?: boolean;
  anthropic?: {
    /** A cache breakpoint whose prefix is shorter than this is not cached (Anthropic: 1024 on most models). Default 1024. */
    minCacheableTokens?: number;
  };
}

export interface MockServerStats {
  /** Model requests (both protocols) received since start or the last reset. */
  requests: number;
  /** Model requests whose connection is still open. */
  inFlight: number;
}

export interface MockServer {
  /** Base URL for the openai client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Base URL for @anthropic-ai/sdk (which appends `/v1/messages`), e.g. `http://127.0.0.1:43123`. */
  readonly anthropicUrl: string;
  /** Live, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  requestsFor(conversationId: string): RecordedRequest[];
  setScript(conversationId: string, script: MockScript): void;
  setDefaultScript(script: MockScript): void;
  /** Forgets requests, attempt and reply counters, usage totals and the prompt cache (scripts stay). */
  reset(): void;
  /** Resolves with the matching requests once at least `count` were received. */
  waitForRequests(count: number, options?: { conversationId?: string; timeoutMs?: number }): Promise<RecordedRequest[]>;
  /** Usage summed over the replies of one conversation, or of all requests; kept without the request log too. */
  usage(conversationId?: string): MockUsageTotals;
  stats(): MockServerStats;
  /** Also destroys open connections (hanging requests included), so it never waits on them. */
  close(): Promise<void>;
}

export { CONVERSATION_ID_HEADER, type RecordedRequest } from './mock-request-log.js';

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const server = new MockHttpServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

const DEFAULT_FALLBACK: MockReply = { type: 'text', text: 'Done.' };
const DEFAULT_MIN_CACHEABLE_TOKENS = 1024;
// The bench holds up to 10,000 concurrent connections; the kernel clamps the backlog to somaxconn.
const MAX_CONNECTIONS = 100_000;
const LISTEN_BACKLOG = 16_384;
// Longer than the client's idle timeout, so the server never closes a socket the client is reusing.
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

class MockHttpServer implements MockServer, ExchangeHost {
  readonly latencyMs: number;
  readonly fallback: MockReply;
  readonly log: RequestLog;
  readonly ledger = new UsageLedger();
  private defaultScript: MockScript;
  private readonly scripts = new Map<string, MockScript>();
  /** Attempts so far by `conversationId \n turn`. */
  private readonly attempts = new Map<string, number>();
  private readonly turnBy: MockTurnBy;
  /** Replies served by conversation id ('' for none): the turn under `turnBy: 'replies'`. */
  private readonly replies = new Map<string, number>();
  private readonly openAi = new OpenAiWire();
  private readonly responses = new ResponsesWire();
  private readonly anthropic: AnthropicWire;
  private received = 0;
  private inFlight = 0;
  private readonly http: Server;
  private origin = '';
  private closing: Promise<void> | undefined;

  constructor(options: MockServerOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.turnBy = MockTurnBySchema.parse(options.turnBy ?? 'assistant_messages');
    this.fallback = options.fallback === undefined ? DEFAULT_FALLBACK : parseMockReply(options.fallback, 'options.fallback');
    this.log = new RequestLog(options.recordRequests ?? true, () => this.url);
    this.anthropic = new AnthropicWire({ minCacheableTokens: options.anthropic?.minCacheableTokens ?? DEFAULT_MIN_CACHEABLE_TOKENS });
    this.defaultScript = parseMockScript(options.defaultScript ?? [], 'options.defaultScript');
    for (const [conversationId, script] of Object.entries(options.scripts ?? {})) {
      this.setScript(conversationId, script);
    }
    // requestTimeout 0: a `hang` fault must be able to outlive Node's default 300 s request limit.
    this.http = createServer({ requestTimeout: 0 }, (req, res) => this.route(req, res));
    this.http.maxConnections = MAX_CONNECTIONS;
    this.http.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  }

  get url(): string {
    return `${this.origin}/v1`;
  }

  get anthropicUrl(): string {
    return this.origin;
  }

  get requests(): readonly RecordedRequest[] {
    return this.log.requests;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen({ host: '127.0.0.1', port, backlog: LISTEN_BACKLOG }, () => {
        this.http.off('error', reject);
        const address = this.http.address() as AddressInfo;
        this.origin = `http://127.0.0.1:${address.port}`;
        resolve();
      });
    });
  }

  requestsFor(conversationId: string): RecordedRequest[] {
    return this.log.requestsFor(conversationId);
  }

  setScript(conversationId: string, script: MockScript): void {
    this.scripts.set(conversationId, parseMockScript(script, `conversation "${conversationId}"`));
  }

  setDefaultScript(script: MockScript): void {
    this.defaultScript = parseMockScript(script, 'default script');
  }

  reset(): void {
    this.log.clear();
    this.attempts.clear();
    this.replies.clear();
    this.ledger.reset();
    this.anthropic.reset();
    this.received = 0;
  }

  waitForRequests(count: number, options: { conversationId?: string; timeoutMs?: number } = {}): Promise<RecordedRequest[]> {
    return this.log.waitFor(count, options);
  }

  usage(conversationId?: string): MockUsageTotals {
    return this.ledger.totals(conversationId);
  }

  stats(): MockServerStats {
    return { requests: this.received, inFlight: this.inFlight };
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve, reject) => {
      this.log.close();
      this.http.close((error) => (error ? reject(error) : resolve()));
      this.http.closeAllConnections();
    });
    return this.closing;
  }

  scriptFor(conversationId: string | null): MockScript {
    return (conversationId === null ? undefined : this.scripts.get(conversationId)) ?? this.defaultScript;
  }

  turnOf(conversationId: string | null, messagesTurn: number): number {
    return this.turnBy === 'replies' ? (this.replies.get(conversationId ?? '') ?? 0) : messagesTurn;
  }

  replied(conversationId: string | null): void {
    const key = conversationId ?? '';
    this.replies.set(key, (this.replies.get(key) ?? 0) + 1);
  }

  attempt(conversationId: string | null, turn: number, consume: boolean): number {
    const key = `${conversationId ?? ''}\n${turn}`;
    const attempt = this.attempts.get(key) ?? 0;
    if (consume) this.attempts.set(key, attempt + 1);
    return attempt;
  }

  track(open: boolean): void {
    if (open) this.received++;
    this.inFlight += open ? 1 : -1;
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = pathOf(req);
    const wire = modelRoute(req, path, { openAi: this.openAi, responses: this.responses, anthropic: this.anthropic });
    const handled = wire === undefined ? this.other(req, res, path) : serveModelRequest(this, wire, req, res);
    handled.catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const message = `Mock server bug: ${error instanceof Error ? error.message : String(error)}`;
      const answer = (wire ?? this.openAi).errorAnswer({ status: 500, message });
      sendJson(res, answer.status, answer.body, answer.headers);
    });
  }

  private async other(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path.startsWith('/__mock/')) return this.admin(req, res, path);
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: MOCK_MODEL_ID, object: 'model', created: 0, owned_by: 'troupe' }] });
    }
    notFound(req, res, path);
  }

  private async admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/__mock/requests' && req.method === 'GET') return sendJson(res, 200, this.log.requests);
    if (path === '/__mock/requests' && req.method === 'DELETE') {
      this.reset();
      return sendNoContent(res);
    }
    if (path === '/__mock/usage' && req.method === 'GET') return sendJson(res, 200, this.ledger.report());
    if (path === '/__mock/stats' && req.method === 'GET') {
      return sendJson(res, 200, { ...this.stats(), cpuUsage: process.cpuUsage(), memoryUsage: process.memoryUsage() });
    }
    const scriptsPrefix = '/__mock/scripts/';
    const isScriptPut = req.method === 'PUT' && path.startsWith(scriptsPrefix) && path.length > scriptsPrefix.length;
    if (!isScriptPut && !(req.method === 'PUT' && path === '/__mock/default-script')) return notFound(req, res, path);

    const raw = await readBody(req);
    if (raw === undefined) return;
    try {
      const script = JSON.parse(raw) as MockScript;
      if (isScriptPut) this.setScript(decodeURIComponent(path.slice(scriptsPrefix.length)), script);
      else this.setDefaultScript(script);
    } catch (error) {
      return sendJson(res, 400, openAiErrorBody(400, error instanceof Error ? error.message : String(error), 'invalid_request_error'));
    }
    sendNoContent(res);
  }
}

/** Azure OpenAI's paths: `/openai/deployments/{deployment}/chat/completions` and `/openai/responses` (with `?api-version=`). */
const AZURE_CHAT_PATH = /^\/openai\/deployments\/[^/]+\/chat\/completions$/;

function modelRoute(req: IncomingMessage, path: string, wires: { openAi: MockWire; responses: MockWire<any>; anthropic: MockWire<any> }): MockWire<any> | undefined {
  if (req.method !== 'POST') return undefined;
  if (path === '/v1/chat/completions' || AZURE_CHAT_PATH.test(path)) return wires.openAi;
  if (path === '/v1/responses' || path === '/openai/responses') return wires.responses;
  if (path === '/v1/messages') return wires.anthropic;
  return undefined;
}

function notFound(req: IncomingMessage, res: ServerResponse, path: string): void {
  const anthropicHint = path.endsWith('/v1/messages') ? ' For @anthropic-ai/sdk use baseURL = server.anthropicUrl (without /v1).' : '';
  const message =
    `The mock server has no route ${req.method} ${path}. It serves POST /v1/chat/completions, POST /v1/responses, POST /v1/messages, ` +
    'Azure\'s POST /openai/deployments/:deployment/chat/completions and POST /openai/responses, GET /v1/models, ' +
    `GET|DELETE /__mock/requests, GET /__mock/usage, PUT /__mock/scripts/:conversationId, PUT /__mock/default-script and GET /__mock/stats.${anthropicHint}`;
  sendJson(res, 404, openAiErrorBody(404, message, 'not_found'));
}
