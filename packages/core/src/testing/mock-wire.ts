import type { IncomingHttpHeaders } from 'node:http';
import type { AnthropicRequestRecord } from './mock-anthropic-request.js';
import type { ResponsesRequestRecord } from './mock-responses-request.js';
import type { MockReply, MockScript, MockTurn } from './mock-script.js';
import type { MockTokenUsage } from './mock-usage.js';

/**
 * What one wire protocol (OpenAI chat completions, Anthropic messages) gives the shared request
 * pipeline of the mock server: parsing and validating a request, rendering a scripted reply, and
 * its own shapes for errors and broken streams. Scripts, attempts, faults, latency and the request
 * log are the pipeline's, the same for every protocol.
 */

export type MockApi = 'openai' | 'anthropic' | 'openai-responses';

/** An answer the mock gives instead of a reply: a request it refuses, or an `http_error` fault. */
export interface WireError {
  status: number;
  message: string;
  /** The protocol's error type; by default the protocol picks one for the status. */
  type?: string;
  /** The protocol's error code (OpenAI: `context_length_exceeded`). */
  code?: string;
}

export interface WireHttpAnswer {
  status: number;
  /** An object is serialized; a string is sent as it is. */
  body: object | string;
  headers: Record<string, string>;
}

/** A request the protocol accepted. */
export interface WireRequest {
  /** The parsed JSON body, as the client sent it. */
  body: any;
  stream: boolean;
  turn: number;
  anthropic?: AnthropicRequestRecord;
  responses?: ResponsesRequestRecord;
}

export type WireParse<Request extends WireRequest = WireRequest> =
  | { ok: true; request: Request }
  /** `body`: the JSON body when it parsed (else null); `turn` as far as it could be read. */
  | { ok: false; error: WireError; body: unknown; turn: number; anthropic?: AnthropicRequestRecord; responses?: ResponsesRequestRecord };

/** A reply in wire form: the JSON body, or the SSE events when the request streams. */
export interface WireReply {
  usage: MockTokenUsage;
  headers: Record<string, string>;
  /** Serialized, set for a non-streaming request. */
  json?: string;
  /** Set for a streaming request; the last ones close the stream normally. */
  events?: string[];
  /** Called once the reply was sent in full (the Anthropic route then writes its prompt cache). */
  onReplied?: () => void;
}

/** `Request`: what the protocol keeps of an accepted request between parsing and rendering. */
export interface MockWire<Request extends WireRequest = WireRequest> {
  readonly api: MockApi;
  /** `script` is the conversation's, for checks that depend on what the mock answered before. */
  parse(raw: string, headers: IncomingHttpHeaders, script: MockScript): WireParse<Request>;
  /** A reply, or a refusal when the scripted reply cannot be given to this request. */
  render(request: Request, scriptTurn: MockTurn | undefined, reply: MockReply): WireReply | WireError;
  /** The HTTP answer for an error; `retryAfter` in seconds. */
  errorAnswer(error: WireError, retryAfter?: number): WireHttpAnswer;
  /** The prompt tokens of a request, as its usage would count them. */
  promptTokens(request: Request): number;
  /** The protocol's error for a prompt longer than the context window (the turn's `contextWindow`, else the protocol's nominal one). */
  contextLengthError(request: Request, contextWindow?: number): WireError;
  /** An SSE event that reports an error inside a stream that already started. */
  streamErrorEvent(error: WireError): string;
  /** An SSE event whose data is not valid JSON. */
  brokenEvent(): string;
}
