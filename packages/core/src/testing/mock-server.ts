import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseMockReply, parseMockScript, type MockFault, type MockReply, type MockScript, type MockTurn } from './mock-script.js';

/**
 * A real OpenAI-compatible HTTP server on 127.0.0.1 that answers from mock scripts, so tests,
 * the demo and the bench exercise the real client and network path without a provider.
 */

export interface MockServerOptions {
  /** Delay before the first byte of every answer, unless the turn sets its own. Default 0. */
  latencyMs?: number;
  /** Script for requests without a conversation id or with one that has no script. Default `[]`. */
  defaultScript?: MockScript;
  /** Scripts by conversation id (the `x-troupe-conversation-id` request header). */
  scripts?: Record<string, MockScript>;
  /** Reply to turns beyond the end of the script. Default `{ type: 'text', text: 'Done.' }`. */
  fallback?: MockReply;
  /** Default 0: a random free port. */
  port?: number;
  /** Keep the request log. Default true; the bench turns it off to save memory. */
  recordRequests?: boolean;
}

export interface RecordedRequest {
  conversationId: string | null;
  turn: number;
  attempt: number;
  stream: boolean;
  /** The parsed JSON request body (ChatCompletionCreateParams). */
  body: any;
  headers: Record<string, string>;
  /** Date.now() when the request body was read. */
  receivedAt: number;
  /** `aborted`: the client disconnected before the answer was complete. */
  outcome: 'pending' | 'replied' | 'fault' | 'aborted';
  fault?: MockFault['type'];
}

export interface MockServerStats {
  /** Chat completion requests received since start or the last reset. */
  requests: number;
  /** Chat completion requests whose connection is still open. */
  inFlight: number;
}

export interface MockServer {
  /** Base URL for the openai client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Live, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  requestsFor(conversationId: string): RecordedRequest[];
  setScript(conversationId: string, script: MockScript): void;
  setDefaultScript(script: MockScript): void;
  /** Forgets requests and attempt counters (scripts stay). */
  reset(): void;
  /** Resolves with the matching requests once at least `count` were received. */
  waitForRequests(count: number, options?: { conversationId?: string; timeoutMs?: number }): Promise<RecordedRequest[]>;
  stats(): MockServerStats;
  /** Also destroys open connections (hanging requests included), so it never waits on them. */
  close(): Promise<void>;
}

export const CONVERSATION_ID_HEADER = 'x-troupe-conversation-id';

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const server = new MockHttpServer(options);
  await server.listen(options.port ?? 0);
  return server;
}

const DEFAULT_FALLBACK: MockReply = { type: 'text', text: 'Done.' };
const DEFAULT_WAIT_TIMEOUT_MS = 10_000;
const MOCK_MODEL_ID = 'mock-model';
// The bench holds up to 10,000 concurrent connections; the kernel clamps the backlog to somaxconn.
const MAX_CONNECTIONS = 100_000;
const LISTEN_BACKLOG = 16_384;
// Longer than the client's idle timeout, so the server never closes a socket the client is reusing.
const KEEP_ALIVE_TIMEOUT_MS = 30_000;
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

interface Waiter {
  conversationId: string | undefined;
  count: number;
  matched: RecordedRequest[];
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

class MockHttpServer implements MockServer {
  readonly requests: RecordedRequest[] = [];
  private readonly latencyMs: number;
  private readonly fallback: MockReply;
  private readonly recordRequests: boolean;
  private defaultScript: MockScript;
  private readonly scripts = new Map<string, MockScript>();
  /** Attempts so far by `conversationId \n turn`. */
  private readonly attempts = new Map<string, number>();
  private readonly waiters = new Set<Waiter>();
  private received = 0;
  private inFlight = 0;
  private completionCount = 0;
  private readonly http: Server;
  private baseUrl = '';
  private closing: Promise<void> | undefined;

  constructor(options: MockServerOptions) {
    this.latencyMs = options.latencyMs ?? 0;
    this.fallback = options.fallback === undefined ? DEFAULT_FALLBACK : parseMockReply(options.fallback, 'options.fallback');
    this.recordRequests = options.recordRequests ?? true;
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
    return this.baseUrl;
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen({ host: '127.0.0.1', port, backlog: LISTEN_BACKLOG }, () => {
        this.http.off('error', reject);
        const address = this.http.address() as AddressInfo;
        this.baseUrl = `http://127.0.0.1:${address.port}/v1`;
        resolve();
      });
    });
  }

  requestsFor(conversationId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.conversationId === conversationId);
  }

  setScript(conversationId: string, script: MockScript): void {
    this.scripts.set(conversationId, parseMockScript(script, `conversation "${conversationId}"`));
  }

  setDefaultScript(script: MockScript): void {
    this.defaultScript = parseMockScript(script, 'default script');
  }

  reset(): void {
    // Emptied in place so that references to the live log stay live.
    this.requests.length = 0;
    this.attempts.clear();
    this.received = 0;
    for (const waiter of this.waiters) waiter.matched.length = 0;
  }

  waitForRequests(count: number, options: { conversationId?: string; timeoutMs?: number } = {}): Promise<RecordedRequest[]> {
    if (!this.recordRequests) {
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
          this.waiters.delete(waiter);
          const scope = conversationId === undefined ? '' : ` for conversation "${conversationId}"`;
          const hint = conversationId === undefined ? '' : ` and sends the ${CONVERSATION_ID_HEADER} header`;
          reject(
            new Error(
              `waitForRequests timed out after ${timeoutMs} ms: expected ${count} request(s)${scope}, received ${waiter.matched.length}. ` +
                `Check that the client uses baseURL ${this.url}${hint}, or raise timeoutMs.`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  stats(): MockServerStats {
    return { requests: this.received, inFlight: this.inFlight };
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve, reject) => {
      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`The mock server at ${this.url} was closed while waitForRequests(${waiter.count}) was waiting.`));
      }
      this.waiters.clear();
      this.http.close((error) => (error ? reject(error) : resolve()));
      this.http.closeAllConnections();
    });
    return this.closing;
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    this.dispatch(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendError(res, 500, `Mock server bug: ${error instanceof Error ? error.message : String(error)}`, 'mock_error');
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    if (req.method === 'POST' && path === '/v1/chat/completions') return this.chatCompletion(req, res);
    if (path.startsWith('/__mock/')) return this.admin(req, res, path);
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: [{ id: MOCK_MODEL_ID, object: 'model', created: 0, owned_by: 'troupe' }] });
    }
    notFound(req, res, path);
  }

  private async chatCompletion(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (raw === undefined) return;
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'The request body is not valid JSON: send a ChatCompletionCreateParams object.', 'invalid_request_error');
    }
    if (!Array.isArray(body?.messages)) {
      return sendError(res, 400, 'The request body needs `messages`, an array of chat messages.', 'invalid_request_error');
    }

    const header = req.headers[CONVERSATION_ID_HEADER];
    const conversationId = typeof header === 'string' && header !== '' ? header : null;
    const turn = countAssistantMessages(body.messages);
    const attempt = this.nextAttempt(conversationId, turn);
    const scriptTurn = ((conversationId === null ? undefined : this.scripts.get(conversationId)) ?? this.defaultScript)[turn];
    const fault = scriptTurn?.faults?.[attempt];
    const record: RecordedRequest = {
      conversationId,
      turn,
      attempt,
      stream: body.stream === true,
      body,
      // Only the log reads them; skipping the copy matters at bench rates.
      headers: this.recordRequests ? flattenHeaders(req.headers) : {},
      receivedAt: Date.now(),
      outcome: 'pending',
      ...(fault === undefined ? {} : { fault: fault.type }),
    };
    this.received++;
    this.inFlight++;
    if (this.recordRequests) this.log(record);

    let latencyTimer: NodeJS.Timeout | undefined;
    let cutOnPurpose = false;
    res.on('close', () => {
      this.inFlight--;
      clearTimeout(latencyTimer);
      if (!res.writableFinished && !cutOnPurpose) record.outcome = 'aborted';
    });

    const answer = (): void => {
      if (fault === undefined) {
        this.reply(res, record, scriptTurn, scriptTurn?.reply ?? this.fallback);
      } else if (fault.type === 'http_error') {
        record.outcome = 'fault';
        const retryAfter: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
        sendError(res, fault.status, fault.message ?? `Mock fault: HTTP ${fault.status}`, 'mock_error', retryAfter);
      } else if (fault.type === 'cut_stream') {
        record.outcome = 'fault';
        cutOnPurpose = true;
        if (!record.stream) return void res.destroy();
        const events = sseEvents(renderReply(scriptTurn?.reply ?? this.fallback, turn), this.completionMeta(body), undefined);
        res.writeHead(200, SSE_HEADERS);
        res.write(events.slice(0, Math.floor(events.length / 2)).join(''), () => res.destroy());
      }
      // `hang`: no answer; the connection stays open until the client leaves or close() destroys it.
    };
    const latencyMs = scriptTurn?.latencyMs ?? this.latencyMs;
    if (latencyMs > 0) latencyTimer = setTimeout(answer, latencyMs);
    else answer();
  }

  private reply(res: ServerResponse, record: RecordedRequest, scriptTurn: MockTurn | undefined, reply: MockReply): void {
    const rendered = renderReply(reply, record.turn);
    const usage = usageOf(scriptTurn, record.body.messages, rendered);
    const meta = this.completionMeta(record.body);
    record.outcome = 'replied';
    if (!record.stream) return sendJson(res, 200, completionJson(rendered, meta, usage));
    const includeUsage = record.body.stream_options?.include_usage === true;
    res.writeHead(200, SSE_HEADERS);
    res.end(sseEvents(rendered, meta, includeUsage ? usage : undefined).join(''));
  }

  private completionMeta(body: any): CompletionMeta {
    return {
      id: `chatcmpl-mock-${++this.completionCount}`,
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' ? body.model : MOCK_MODEL_ID,
    };
  }

  private nextAttempt(conversationId: string | null, turn: number): number {
    const key = `${conversationId ?? ''}\n${turn}`;
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    return attempt;
  }

  private log(record: RecordedRequest): void {
    this.requests.push(record);
    for (const waiter of this.waiters) {
      if (waiter.conversationId !== undefined && waiter.conversationId !== record.conversationId) continue;
      waiter.matched.push(record);
      if (waiter.matched.length < waiter.count) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(waiter.matched);
    }
  }

  private async admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/__mock/requests' && req.method === 'GET') return sendJson(res, 200, this.requests);
    if (path === '/__mock/requests' && req.method === 'DELETE') {
      this.reset();
      return sendNoContent(res);
    }
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
      return sendError(res, 400, error instanceof Error ? error.message : String(error), 'invalid_request_error');
    }
    sendNoContent(res);
  }
}

interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

/** A reply in wire terms, shared by the JSON and the streaming format. */
interface RenderedReply {
  content: string | null;
  reasoning: string | undefined;
  toolCalls: { id: string; name: string; arguments: string }[];
  finishReason: 'stop' | 'tool_calls';
}

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

function renderReply(reply: MockReply, turn: number): RenderedReply {
  switch (reply.type) {
    case 'text':
      return { content: reply.text, reasoning: reply.reasoning, toolCalls: [], finishReason: 'stop' };
    case 'empty':
      return { content: null, reasoning: undefined, toolCalls: [], finishReason: 'stop' };
    case 'tool_calls':
      return {
        content: reply.text ?? null,
        reasoning: undefined,
        toolCalls: reply.calls.map((call, index) => ({
          id: call.id ?? `call_${turn}_${index}`,
          name: call.name,
          // A string goes out verbatim: that is how scripts inject malformed JSON.
          arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
        })),
        finishReason: 'tool_calls',
      };
  }
}

function usageOf(scriptTurn: MockTurn | undefined, messages: unknown[], reply: RenderedReply): Usage {
  const given = scriptTurn?.usage;
  const promptTokens = given ? given.prompt_tokens : estimateTokens(JSON.stringify(messages).length);
  const completionTokens = given
    ? given.completion_tokens
    : estimateTokens(reply.toolCalls.reduce((length, call) => length + call.arguments.length, reply.content?.length ?? 0));
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: given?.cached_tokens ?? 0 },
  };
}

/** About four characters per token, like the providers' rule of thumb. */
function estimateTokens(characters: number): number {
  return Math.ceil(characters / 4);
}

function completionJson(reply: RenderedReply, meta: CompletionMeta, usage: Usage): object {
  const message = {
    role: 'assistant',
    content: reply.content,
    refusal: null,
    ...(reply.reasoning === undefined ? {} : { reasoning_content: reply.reasoning }),
    ...(reply.toolCalls.length === 0
      ? {}
      : { tool_calls: reply.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })) }),
  };
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
    usage,
  };
}

/** The SSE events of a streamed reply, `[DONE]` included; `usage` adds the usage chunk. */
function sseEvents(reply: RenderedReply, meta: CompletionMeta, usage: Usage | undefined): string[] {
  // The envelope is the same for every chunk: serialize it once (this is the bench's hot path).
  const envelope = JSON.stringify({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model });
  const chunkPrefix = `data: ${envelope.slice(0, -1)},"choices":`;
  const delta = (fields: object, finishReason: RenderedReply['finishReason'] | null = null): string =>
    `${chunkPrefix}[${JSON.stringify({ index: 0, delta: fields, logprobs: null, finish_reason: finishReason })}]}\n\n`;

  const events = [delta({ role: 'assistant' })];
  for (const piece of words(reply.reasoning ?? '')) events.push(delta({ reasoning_content: piece }));
  for (const piece of words(reply.content ?? '')) events.push(delta({ content: piece }));
  reply.toolCalls.forEach((call, index) => {
    events.push(delta({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of halves(call.arguments)) events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(delta({}, reply.finishReason));
  if (usage !== undefined) events.push(`${chunkPrefix}[],"usage":${JSON.stringify(usage)}}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}

/** Word-sized pieces that concatenate back to `text` exactly. */
function words(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}

/** Two pieces (when there are two characters), so clients must join argument deltas. */
function halves(text: string): string[] {
  if (text.length < 2) return text === '' ? [] : [text];
  const middle = Math.floor(text.length / 2);
  return [text.slice(0, middle), text.slice(middle)];
}

function countAssistantMessages(messages: unknown[]): number {
  let count = 0;
  for (const message of messages) {
    if ((message as { role?: unknown } | null)?.role === 'assistant') count++;
  }
  return count;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** The body as text, or undefined when the client went away before sending all of it. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

function sendError(res: ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, code: status } }, headers);
}

function sendNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

function notFound(req: IncomingMessage, res: ServerResponse, path: string): void {
  sendError(
    res,
    404,
    `The mock server has no route ${req.method} ${path}. It serves POST /v1/chat/completions, GET /v1/models, ` +
      'GET|DELETE /__mock/requests, PUT /__mock/scripts/:conversationId, PUT /__mock/default-script and GET /__mock/stats.',
    'not_found',
  );
}
