import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { Agent as HttpAgent, fetch as undiciFetch } from 'undici';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { ToolCall } from './content.js';
import { ConfigError, LLMAbortedError, LLMError, LLMRateLimitError } from './errors.js';
import type { ToolSpec } from './events.js';
import { type LLMConfig, LLMConfigSchema, type LLMOptions } from './llm-config.js';
import type { LLMCallRecord } from './metrics.js';
import { lookupPrice } from './price-table.js';
import { routeModel, type ProviderRoute } from './provider-routing.js';
import { backoffDelay, parseRetryAfter, sleep } from './retry.js';

export interface TokenDelta {
  content?: string;
  reasoning_content?: string;
}

export interface CompletionRequest {
  messages: ChatCompletionMessageParam[];
  tools: ToolSpec[];
  signal?: AbortSignal;
  /** Sent as `x-troupe-conversation-id`, so proxies (and the mock server) can tell conversations apart. */
  conversationId?: string;
  /** Called with each streamed piece of the reply (only when the LLM streams). */
  onToken?: (delta: TokenDelta) => void;
  /** Called before each retry, with the error and the wait. */
  onRetry?: (info: { attempt: number; delayMs: number; error: Error }) => void;
}

export interface CompletionResponse {
  id: string;
  content: string | null;
  reasoningContent?: string;
  toolCalls: ToolCall[];
  finishReason: string | null;
  /** Latency, tokens and cost of the call. */
  call: LLMCallRecord;
}

/** What the agent loop needs from a model. `LLM` talks HTTP; `ScriptedLLM` (testing) does not. */
export interface LanguageModel {
  readonly usageId: string;
  readonly model: string;
  complete(request: CompletionRequest): Promise<CompletionResponse>;
}

const clients = new Map<string, OpenAI>();

/**
 * One HTTP client per endpoint and key in each thread, shared by its conversations: a keep-alive
 * pool of at most `maxConnections` sockets (undici's fetch with its own dispatcher).
 */
function clientFor(route: ProviderRoute, apiKey: string, config: LLMConfig): OpenAI {
  const key = [route.baseUrl, apiKey, config.timeoutMs, config.maxConnections].join('\u0000');
  let client = clients.get(key);
  if (!client) {
    const dispatcher = new HttpAgent({ connections: config.maxConnections });
    const fetchWithPool = ((url: string, init?: Record<string, unknown>) => undiciFetch(url, { ...init, dispatcher } as never)) as unknown as typeof fetch;
    client = new OpenAI({ apiKey, baseURL: route.baseUrl, timeout: config.timeoutMs, maxRetries: 0, fetch: fetchWithPool });
    clients.set(key, client);
  }
  return client;
}

function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (error instanceof APIConnectionError) return true;
  if (error instanceof APIError && typeof error.status === 'number') {
    return error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
  }
  // A stream that broke mid-way surfaces as a plain error from the fetch body.
  return error instanceof IncompleteStreamError || (error instanceof Error && /terminated|socket|ECONNRESET|premature/i.test(error.message));
}

/** The connection closed before the streamed reply was complete. */
class IncompleteStreamError extends Error {
  override name = 'IncompleteStreamError';
}

/**
 * An OpenAI-compatible chat model. A plain, zod-validated config plus the call logic: retries with
 * backoff and jitter honouring `Retry-After`, abort, streaming with token callbacks, usage and cost.
 */
export class LLM implements LanguageModel {
  readonly config: LLMConfig;
  readonly #route: ProviderRoute;

  constructor(options: Partial<LLMOptions> = {}) {
    const model = options.model ?? process.env.LLM_MODEL;
    if (!model) throw new ConfigError('LLM model is not set; pass model (e.g. "anthropic/claude-sonnet-4-5") or set LLM_MODEL.');
    const baseUrl = options.baseUrl ?? process.env.LLM_BASE_URL;
    const parsed = LLMConfigSchema.safeParse({ ...options, model, ...(baseUrl ? { baseUrl } : {}) });
    if (!parsed.success) throw new ConfigError(`Invalid LLM config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    this.config = parsed.data;
    this.#route = routeModel(this.config.model, this.config.baseUrl);
  }

  get usageId(): string {
    return this.config.usageId;
  }

  get model(): string {
    return this.config.model;
  }

  /** The config without the API key: safe to log, persist and show. */
  toJSON(): LLMConfig {
    const { apiKey: _apiKey, ...rest } = this.config;
    return rest;
  }

  #client(): OpenAI {
    const apiKey = this.config.apiKey ?? process.env.LLM_API_KEY ?? (this.#route.needsKey ? undefined : 'not-needed');
    if (!apiKey) throw new ConfigError('LLM_API_KEY is not set; set it or pass apiKey to the LLM.');
    return clientFor(this.#route, apiKey, this.config);
  }

  /** USD for one call from the configured per-token prices or the built-in table (0 when unknown). */
  costOf(usage: LLMCallRecord['usage']): number {
    const price = lookupPrice(this.config.model);
    const input = this.config.inputCostPerToken ?? (price ? price.input / 1e6 : 0);
    const output = this.config.outputCostPerToken ?? (price ? price.output / 1e6 : 0);
    const cacheRead = this.config.cacheReadCostPerToken ?? (price?.cacheRead !== undefined ? price.cacheRead / 1e6 : input);
    const uncached = Math.max(0, usage.prompt_tokens - usage.cache_read_tokens);
    return uncached * input + usage.cache_read_tokens * cacheRead + usage.completion_tokens * output;
  }

  async complete(request: CompletionRequest): Promise<CompletionResponse> {
    const client = this.#client();
    const maxAttempts = this.config.maxRetries + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(client, request);
      } catch (error) {
        if (request.signal?.aborted || error instanceof APIUserAbortError) {
          throw new LLMAbortedError('The model call was aborted.', { cause: error });
        }
        const retryable = isRetryable(error);
        const status = error instanceof APIError ? error.status : undefined;
        if (!retryable || attempt >= maxAttempts) throw this.#finalError(error, attempt, retryable, status);
        const retryAfter = error instanceof APIError ? parseRetryAfter(error.headers) : undefined;
        const delayMs = backoffDelay(attempt, { minDelayMs: this.config.retryMinDelayMs, maxDelayMs: this.config.retryMaxDelayMs }, retryAfter);
        request.onRetry?.({ attempt, delayMs, error: error as Error });
        try {
          await sleep(delayMs, request.signal);
        } catch (abortReason) {
          throw new LLMAbortedError('The model call was aborted while waiting to retry.', { cause: abortReason });
        }
      }
    }
  }

  #finalError(error: unknown, attempts: number, retryable: boolean, status: number | undefined): LLMError {
    const reason = error instanceof Error ? error.message : String(error);
    const details = { attempts, retryable, ...(status === undefined ? {} : { status }) };
    if (status === 429) {
      return new LLMRateLimitError(
        `The provider kept rate-limiting ${this.config.model} (429) after ${attempts} attempts; wait, lower concurrency, or raise maxRetries.`,
        details,
        { cause: error },
      );
    }
    const hint = retryable ? ` after ${attempts} attempts` : '';
    return new LLMError(`The model call to ${this.config.model} failed${hint}: ${reason}`, details, { cause: error });
  }

  #params(request: CompletionRequest): ChatCompletionCreateParams {
    return {
      model: this.#route.model,
      messages: request.messages,
      ...(request.tools.length > 0 ? { tools: request.tools as ChatCompletionCreateParams['tools'] } : {}),
      ...(this.config.temperature === undefined ? {} : { temperature: this.config.temperature }),
      ...(this.config.maxOutputTokens === undefined ? {} : { max_completion_tokens: this.config.maxOutputTokens }),
    };
  }

  async #attempt(client: OpenAI, request: CompletionRequest): Promise<CompletionResponse> {
    const started = performance.now();
    const options = {
      signal: request.signal,
      ...(request.conversationId ? { headers: { 'x-troupe-conversation-id': request.conversationId } } : {}),
    };
    const params = this.#params(request);
    if (this.config.stream) {
      const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, options);
      return this.#fromChunks(stream, started, request.onToken);
    }
    const completion = await client.chat.completions.create({ ...params, stream: false }, options);
    return this.#fromCompletion(completion, started);
  }

  #record(responseId: string, started: number, usage: ChatCompletion['usage'] | undefined | null): LLMCallRecord {
    const details = usage as (ChatCompletion['usage'] & { cache_creation_input_tokens?: number }) | undefined | null;
    const callUsage = {
      prompt_tokens: usage?.prompt_tokens ?? 0,
      completion_tokens: usage?.completion_tokens ?? 0,
      cache_read_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      cache_write_tokens: details?.cache_creation_input_tokens ?? 0,
      reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    };
    return { model: this.config.model, responseId, latencyMs: performance.now() - started, cost: this.costOf(callUsage), usage: callUsage };
  }

  #fromCompletion(completion: ChatCompletion, started: number): CompletionResponse {
    const choice = completion.choices[0];
    const message = choice?.message as (ChatCompletion.Choice['message'] & { reasoning_content?: string }) | undefined;
    const toolCalls: ToolCall[] = (message?.tool_calls ?? []).flatMap((call) =>
      call.type === 'function' ? [{ id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }] : [],
    );
    return {
      id: completion.id,
      content: message?.content ?? null,
      ...(message?.reasoning_content ? { reasoningContent: message.reasoning_content } : {}),
      toolCalls,
      finishReason: choice?.finish_reason ?? null,
      call: this.#record(completion.id, started, completion.usage),
    };
  }

  async #fromChunks(stream: AsyncIterable<ChatCompletionChunk>, started: number, onToken?: (delta: TokenDelta) => void): Promise<CompletionResponse> {
    let id = '';
    let content = '';
    let reasoning = '';
    let finishReason: string | null = null;
    let usage: ChatCompletionChunk['usage'] = null;
    const calls: { id: string; name: string; arguments: string }[] = [];
    for await (const chunk of stream) {
      id ||= chunk.id;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta as ChatCompletionChunk.Choice['delta'] & { reasoning_content?: string };
      if (delta.content) content += delta.content;
      if (delta.reasoning_content) reasoning += delta.reasoning_content;
      if (onToken && (delta.content || delta.reasoning_content)) {
        onToken({
          ...(delta.content ? { content: delta.content } : {}),
          ...(delta.reasoning_content ? { reasoning_content: delta.reasoning_content } : {}),
        });
      }
      for (const part of delta.tool_calls ?? []) {
        const call = (calls[part.index] ??= { id: '', name: '', arguments: '' });
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name += part.function.name;
        if (part.function?.arguments) call.arguments += part.function.arguments;
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
    if (finishReason === null) throw new IncompleteStreamError('The model stream ended before a finish reason (connection terminated).');
    return {
      id,
      content: content.length > 0 ? content : null,
      ...(reasoning ? { reasoningContent: reasoning } : {}),
      toolCalls: calls.filter(Boolean).map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })),
      finishReason,
      call: this.#record(id, started, usage),
    };
  }
}
