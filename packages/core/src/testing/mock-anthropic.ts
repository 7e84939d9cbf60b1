import type { IncomingHttpHeaders } from 'node:http';
import { MAX_CACHE_BREAKPOINTS, PromptCache, type CacheAccount } from './mock-anthropic-cache.js';
import { checkMessages, checkParameters, checkThinking, sentBackThinking } from './mock-anthropic-checks.js';
import { replyContent, type AnthropicContentBlock, type AnthropicReplyContent } from './mock-anthropic-reply.js';
import { parseAnthropicRequest, type AnthropicRequest, type AnthropicRequestRecord } from './mock-anthropic-request.js';
import { headerValue } from './mock-http.js';
import { countAssistantMessages } from './mock-openai.js';
import type { MockReply, MockScript, MockTurn } from './mock-script.js';
import { slices, words } from './mock-text.js';
import type { MockTokenUsage } from './mock-usage.js';
import type { MockWire, WireError, WireHttpAnswer, WireParse, WireReply, WireRequest } from './mock-wire.js';

/**
 * Anthropic's Messages API on the mock server: `POST /v1/messages`, JSON and SSE, with the real
 * API's headers, validation and error shapes, signed thinking, and prompt-cache accounting
 * (mock-anthropic-cache.ts states the rule).
 */

interface AnthropicWireRequest extends WireRequest {
  parsed: AnthropicRequest;
  account: CacheAccount;
  anthropic: AnthropicRequestRecord;
}

/** Anthropic's error type for an HTTP status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The context window the mock claims in a `prompt is too long` fault without a turn's own window. */
const MOCK_ANTHROPIC_CONTEXT_WINDOW = 200_000;

/** The nominal limits the mock reports in `anthropic-ratelimit-*` headers of a 429. */
const RATE_LIMITS = { requests: 50, 'input-tokens': 30_000, 'output-tokens': 8_000, tokens: 38_000 };

export class AnthropicWire implements MockWire<AnthropicWireRequest> {
  readonly api = 'anthropic';
  readonly #cache: PromptCache;
  #messageCount = 0;
  #requestIdCount = 0;

  constructor(options: { minCacheableTokens: number }) {
    this.#cache = new PromptCache(options.minCacheableTokens);
  }

  /** Forgets the prompt cache. */
  reset(): void {
    this.#cache.clear();
  }

  parse(raw: string, headers: IncomingHttpHeaders, script: MockScript): WireParse<AnthropicWireRequest> {
    const apiKey = headerValue(headers, 'x-api-key') ?? bearerToken(headerValue(headers, 'authorization')) ?? null;
    const record: AnthropicRequestRecord = {
      apiKey,
      version: headerValue(headers, 'anthropic-version') ?? null,
      betas: (headerValue(headers, 'anthropic-beta') ?? '').split(',').flatMap((beta) => (beta.trim() === '' ? [] : [beta.trim()])),
      cacheBreakpoints: [],
      cacheReadUpTo: null,
      promptTokens: 0,
      thinkingBlocks: [],
    };
    let body: any = null;
    try {
      body = JSON.parse(raw);
    } catch {
      // Reported after the headers, as the real API checks those first.
    }
    const turn = Array.isArray(body?.messages) ? countAssistantMessages(body.messages) : 0;
    const fail = (status: number, message: string): WireParse<AnthropicWireRequest> => ({ ok: false, error: { status, message }, body, turn, anthropic: record });

    if (apiKey === null) return fail(401, 'x-api-key header is required');
    if (record.version === null) return fail(400, 'anthropic-version: header is required');
    if (body === null) return fail(400, 'The request body is not valid JSON: send a Messages API request object.');
    const parsed = parseAnthropicRequest(body);
    if (!parsed.ok) return fail(400, parsed.message);
    const request = parsed.request;
    const account = this.#cache.account(request, apiKey);
    record.request = request;
    record.cacheBreakpoints = account.breakpoints;
    record.cacheReadUpTo = account.readUpTo;
    record.promptTokens = account.promptTokens;
    record.thinkingBlocks = sentBackThinking(request);
    const breakpoints = account.breakpoints.length;
    const problem =
      checkParameters(request) ??
      checkMessages(request) ??
      (breakpoints > MAX_CACHE_BREAKPOINTS ? `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.` : undefined) ??
      checkThinking(request, record.thinkingBlocks, script);
    if (problem !== undefined) return fail(400, problem);
    return { ok: true, request: { body, stream: request.stream === true, turn, parsed: request, account, anthropic: record } };
  }

  render(request: AnthropicWireRequest, scriptTurn: MockTurn | undefined, reply: MockReply): WireReply | WireError {
    const content = replyContent(request.parsed, reply, request.turn);
    if (typeof content === 'string') return { status: 400, message: content };
    const usage = usageOf(scriptTurn, request.account, content.outputTokens);
    const message = messageJson(`msg_mock_${++this.#messageCount}`, request.parsed.model, content, usage);
    const tokenUsage: MockTokenUsage = {
      inputTokens: usage.input_tokens,
      cacheCreationInputTokens: usage.cache_creation_input_tokens,
      cacheReadInputTokens: usage.cache_read_input_tokens,
      outputTokens: usage.output_tokens,
    };
    const headers = { 'request-id': this.#requestId() };
    const onReplied = (): void => this.#cache.commit(request.account);
    if (!request.stream) return { usage: tokenUsage, headers, json: JSON.stringify(message), onReplied };
    return { usage: tokenUsage, headers, events: streamEvents(message, content.content), onReplied };
  }

  errorAnswer(error: WireError, retryAfter?: number): WireHttpAnswer {
    const requestId = this.#requestId();
    const headers: Record<string, string> = { 'request-id': requestId };
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    if (error.status === 429) {
      const reset = new Date(Date.now() + (retryAfter ?? 0) * 1000).toISOString();
      for (const [name, limit] of Object.entries(RATE_LIMITS)) {
        headers[`anthropic-ratelimit-${name}-limit`] = String(limit);
        headers[`anthropic-ratelimit-${name}-remaining`] = name === 'requests' ? '0' : String(limit);
        headers[`anthropic-ratelimit-${name}-reset`] = reset;
      }
    }
    return { status: error.status, body: { ...errorBody(error), request_id: requestId }, headers };
  }

  promptTokens(request: AnthropicWireRequest): number {
    return request.account.promptTokens;
  }

  contextLengthError(request: AnthropicWireRequest, contextWindow = MOCK_ANTHROPIC_CONTEXT_WINDOW): WireError {
    const tokens = Math.max(request.account.promptTokens, contextWindow + 1);
    return { status: 400, type: 'invalid_request_error', message: `prompt is too long: ${tokens} tokens > ${contextWindow} maximum` };
  }

  streamErrorEvent(error: WireError): string {
    return sse('error', errorBody(error));
  }

  brokenEvent(): string {
    return 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n';
  }

  #requestId(): string {
    return `req_mock_${++this.#requestIdCount}`;
  }
}

interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
  service_tier: 'standard';
}

/** The computed cache accounting, unless the script gives the usage (then `cached_tokens` are reads). */
function usageOf(scriptTurn: MockTurn | undefined, account: CacheAccount, outputTokens: number): AnthropicUsage {
  const given = scriptTurn?.usage;
  if (given !== undefined) {
    const read = given.cached_tokens ?? 0;
    return {
      input_tokens: given.prompt_tokens - read,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: given.completion_tokens,
      service_tier: 'standard',
    };
  }
  return {
    input_tokens: account.inputTokens,
    cache_creation_input_tokens: account.cacheCreationInputTokens,
    cache_read_input_tokens: account.cacheReadInputTokens,
    cache_creation: account.cacheCreation,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function messageJson(id: string, model: string, content: AnthropicReplyContent, usage: AnthropicUsage) {
  return {
    id,
    type: 'message' as const,
    role: 'assistant' as const,
    model,
    content: content.content,
    stop_reason: content.stopReason,
    stop_sequence: content.stopSequence,
    stop_details: null,
    container: null,
    usage,
  };
}

/** The SSE events of a message, in the order and shapes Anthropic streams them. */
function streamEvents(message: ReturnType<typeof messageJson>, blocks: AnthropicContentBlock[]): string[] {
  const { usage } = message;
  const events = [
    sse('message_start', {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) } },
    }),
    sse('ping', { type: 'ping' }),
  ];
  blocks.forEach((block, index) => {
    const delta = (fields: object): void => void events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: fields }));
    const start = (contentBlock: object): void => void events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: contentBlock }));
    if (block.type === 'thinking') {
      start({ type: 'thinking', thinking: '', signature: '' });
      for (const piece of words(block.thinking)) delta({ type: 'thinking_delta', thinking: piece });
      delta({ type: 'signature_delta', signature: block.signature });
    } else if (block.type === 'redacted_thinking') {
      start(block);
    } else if (block.type === 'text') {
      start({ type: 'text', text: '', citations: null });
      for (const piece of words(block.text)) delta({ type: 'text_delta', text: piece });
    } else {
      start({ ...block, input: {} });
      delta({ type: 'input_json_delta', partial_json: '' });
      for (const piece of slices(JSON.stringify(block.input), 3)) delta({ type: 'input_json_delta', partial_json: piece });
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: message.stop_sequence, stop_details: null },
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return events;
}

function errorBody(error: WireError): { type: 'error'; error: { type: string; message: string } } {
  const type = error.type ?? ERROR_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message: error.message } };
}

function sse(event: string, data: object): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}
