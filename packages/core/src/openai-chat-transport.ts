import { APIConnectionError, APIError, APIUserAbortError } from 'openai/error';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { Agent, type Dispatcher, interceptors } from 'undici';
import { IncompleteStreamError } from './provider-reply-errors.js';
import { ServerSentEventDecoder } from './sse-decoder.js';

/** What a transport is made with, besides its endpoint and key. */
export interface TransportOptions {
  maxConnections: number;
  /** Where `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` are read, as the `openai` client does. */
  env: Readonly<Record<string, string | undefined>>;
}

/** One request: its JSON body, already serialised, and the headers beyond the transport's own (lower-case names). */
export interface TransportRequest {
  body: string;
  headers: Readonly<Record<string, string>>;
  /** The caller's abort and deadline: the transport has no timeout of its own. */
  signal: AbortSignal;
}

type Response = Dispatcher.ResponseData;

/**
 * OpenAI's Chat Completions endpoint (any OpenAI-compatible server) over undici's `request` API:
 * a keep-alive pool of at most `maxConnections` sockets per origin, headers built once, the body
 * sent as the string it was serialised to. The lean path of the `openai` client's requests
 * (no WHATWG Request/Response/streams, no per-request option merging or log formatting), with
 * its types and its errors: a failed status is `APIError.generate`'s class (RateLimitError, …)
 * with the response headers, a connection failure `APIConnectionError`, an abort
 * `APIUserAbortError`, an in-stream `error` chunk an `APIError`, as the client throws them, so
 * one classification serves both. Redirects are followed, as `fetch` does.
 */
export class OpenAIChatTransport {
  readonly #dispatcher: Dispatcher;
  readonly #origin: string;
  readonly #path: string;
  readonly #headers: Readonly<Record<string, string>>;

  constructor(baseUrl: string, apiKey: string, options: TransportOptions) {
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/chat/completions`);
    this.#origin = url.origin;
    this.#path = `${url.pathname}${url.search}`;
    // No timeouts of undici's own: the LLM's deadline (the request's signal) bounds the whole call, body included.
    this.#dispatcher = new Agent({ connections: options.maxConnections, headersTimeout: 0, bodyTimeout: 0 }).compose(
      interceptors.redirect({ maxRedirections: 20 }),
    );
    const organization = options.env.OPENAI_ORG_ID;
    const project = options.env.OPENAI_PROJECT_ID;
    this.#headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      authorization: `Bearer ${apiKey}`,
      ...(organization ? { 'openai-organization': organization } : {}),
      ...(project ? { 'openai-project': project } : {}),
    };
  }

  /** A non-streamed completion: the parsed JSON body (a string when the server did not answer JSON). */
  async complete(request: TransportRequest): Promise<ChatCompletion> {
    const response = await this.#send(request);
    const text = await readText(response, request.signal);
    if (response.statusCode === 204) return null as never;
    return (isJson(response.headers['content-type']) ? JSON.parse(text) : text) as ChatCompletion;
  }

  /** A streamed completion: its chunks as they arrive; the body is released when the iteration ends early. */
  async *stream(request: TransportRequest): AsyncGenerator<ChatCompletionChunk> {
    const response = await this.#send(request);
    const decoder = new ServerSentEventDecoder();
    response.body.setEncoding('utf8');
    let done = false;
    try {
      for await (const piece of bodyPieces(response, request.signal)) {
        for (const event of decoder.push(piece)) {
          if (done) continue;
          if (event.data.startsWith('[DONE]')) {
            done = true;
            continue;
          }
          const chunk = JSON.parse(event.data) as ChatCompletionChunk & { error?: unknown };
          if (chunk?.error) throw new APIError(undefined, chunk.error as object, undefined, headersOf(response));
          yield chunk;
        }
      }
    } finally {
      if (!response.body.readableEnded) response.body.destroy();
    }
  }

  async #send({ body, headers, signal }: TransportRequest): Promise<Response> {
    let response: Response;
    try {
      response = await this.#dispatcher.request({ origin: this.#origin, path: this.#path, method: 'POST', headers: { ...this.#headers, ...headers }, body, signal });
    } catch (error) {
      if (signal.aborted) throw new APIUserAbortError();
      throw new APIConnectionError({ cause: error as Error });
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await readText(response, signal).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
    const json = parseOrUndefined(text);
    throw APIError.generate(response.statusCode, json, json === undefined ? text : undefined, headersOf(response));
  }
}

const USER_AGENT = 'Troupe (OpenAI-compatible chat)';

async function readText(response: Response, signal: AbortSignal): Promise<string> {
  try {
    return await response.body.text();
  } catch (error) {
    throw bodyError(error, signal);
  }
}

async function* bodyPieces(response: Response, signal: AbortSignal): AsyncGenerator<string> {
  try {
    for await (const piece of response.body) yield piece as string;
  } catch (error) {
    throw bodyError(error, signal);
  }
}

/** A body that broke after the headers: an abort stays one; otherwise the reply is incomplete (retried). */
function bodyError(error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return new APIUserAbortError();
  const reason = error instanceof Error ? error.message : String(error);
  return new IncompleteStreamError(`The connection closed before the reply was complete (${reason}).`, { cause: error });
}

function isJson(contentType: string | string[] | undefined): boolean {
  const mediaType = (Array.isArray(contentType) ? contentType[0] : contentType)?.split(';')[0]?.trim();
  return mediaType !== undefined && (mediaType.includes('application/json') || mediaType.endsWith('+json'));
}

function parseOrUndefined(text: string): object | undefined {
  try {
    return JSON.parse(text) as object;
  } catch {
    return undefined;
  }
}

/** The response headers as the `openai` client's errors carry them (`Retry-After` is read from them). */
function headersOf(response: Response): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}
