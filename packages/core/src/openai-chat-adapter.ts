import { APIConnectionError, APIError, APIUserAbortError } from 'openai/error';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ToolCall } from './content.js';
import { openAIChatTransportForRoute, openAIClientForRoute } from './http-client-pool.js';
import type { CompletionRequest, TokenDelta } from './language-model.js';
import type { LLMConfig } from './llm-config.js';
import { chatRequestBody, toChatMessages, toChatTools } from './openai-chat-messages.js';
import type { OpenAIChatTransport } from './openai-chat-transport.js';
import type { AdapterReply, FailureClass, ProviderAdapter } from './provider-adapter.js';
import { IncompleteStreamError, isBrokenReply, MalformedReplyError } from './provider-reply-errors.js';
import type { ProviderRoute } from './provider-routing.js';
import { parseRetryAfter } from './retry.js';

/**
 * OpenAI's Chat Completions API and every OpenAI-compatible endpoint: through the lean
 * `OpenAIChatTransport` (the `openai` package's types and errors, undici's request API), Azure's
 * through the `openai` client (`AzureOpenAI`: deployment paths, `api-version`, `api-key`).
 */
export class OpenAIChatAdapter implements ProviderAdapter {
  /** `extraHeaders` with lower-case names, so one of them replaces the transport's header of that name. */
  readonly #extraHeaders: Readonly<Record<string, string>>;
  #transport: OpenAIChatTransport | undefined;

  constructor(
    readonly route: ProviderRoute,
    readonly config: LLMConfig,
  ) {
    this.#extraHeaders = Object.fromEntries(Object.entries(config.extraHeaders ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  }

  #params(request: CompletionRequest): Omit<ChatCompletionCreateParams, 'tools'> {
    const { config } = this;
    return {
      model: this.route.model,
      messages: toChatMessages(request.messages),
      ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
      ...(config.maxOutputTokens === undefined ? {} : { max_completion_tokens: config.maxOutputTokens }),
      ...(config.topP === undefined ? {} : { top_p: config.topP }),
      ...(config.topK === undefined ? {} : { top_k: config.topK }),
      ...(config.seed === undefined ? {} : { [this.route.seedParameter ?? 'seed']: config.seed }),
      ...(config.stop === undefined ? {} : { stop: config.stop }),
      ...(config.reasoningEffort === undefined ? {} : { reasoning_effort: config.reasoningEffort }),
      ...config.litellmExtraBody,
      // After the extra body, as the response is read as streamed or not by `stream`.
      ...(config.stream ? { stream: true, stream_options: { include_usage: true } } : { stream: false }),
    } as Omit<ChatCompletionCreateParams, 'tools'>;
  }

  async attempt(request: CompletionRequest, signal: AbortSignal): Promise<AdapterReply> {
    if (this.route.provider === 'azure') return this.#attemptThroughClient(request, signal);
    // The key is read once per adapter (a missing one is a ConfigError at every call until it is set).
    this.#transport ??= openAIChatTransportForRoute(this.route, this.config.apiKey, this.config);
    const id = request.conversationId;
    const call = {
      body: chatRequestBody(this.#params(request), request.tools),
      headers: id ? { 'x-troupe-conversation-id': id, ...this.#extraHeaders } : this.#extraHeaders,
      signal,
    };
    if (this.config.stream) return fromChunks(this.#transport.stream(call), request.onToken);
    return fromCompletion(await this.#transport.complete(call));
  }

  async #attemptThroughClient(request: CompletionRequest, signal: AbortSignal): Promise<AdapterReply> {
    const client = await openAIClientForRoute(this.route, this.config.apiKey, this.config);
    const options = { signal, headers: requestHeaders(request, this.config) };
    const fields = this.#params(request);
    const params = { ...(request.tools.length > 0 && !('tools' in fields) ? { tools: toChatTools(request.tools) } : {}), ...fields } as ChatCompletionCreateParams;
    if (params.stream) return fromChunks(await client.chat.completions.create(params, options), request.onToken);
    return fromCompletion(await client.chat.completions.create(params, options));
  }

  classify(error: unknown): FailureClass {
    return classifyOpenAIError(error);
  }
}

/** The headers of a request: the conversation id (for proxies and the mock), then `extraHeaders`. */
export function requestHeaders(request: CompletionRequest, config: LLMConfig): Record<string, string> {
  return { ...(request.conversationId ? { 'x-troupe-conversation-id': request.conversationId } : {}), ...config.extraHeaders };
}

/** How an error of the `openai` client is treated, for both of OpenAI's APIs. */
export function classifyOpenAIError(error: unknown): FailureClass {
  if (error instanceof APIUserAbortError) return { retryable: false };
  if (error instanceof APIConnectionError) return { retryable: true };
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.code === 'context_length_exceeded' || (error.status === 400 && /maximum context length|context window|context length|too many tokens/i.test(error.message))) {
      return { retryable: false, status: error.status, contextLengthExceeded: true };
    }
    const retryAfterMs = parseRetryAfter(error.headers);
    const retryable = error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
    return { retryable, status: error.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  return { retryable: isBrokenReply(error) };
}

function usageOf(usage: ChatCompletion['usage'] | undefined | null): AdapterReply['usage'] {
  const details = usage as (ChatCompletion['usage'] & { cache_creation_input_tokens?: number }) | undefined | null;
  return {
    prompt_tokens: usage?.prompt_tokens ?? 0,
    completion_tokens: usage?.completion_tokens ?? 0,
    cache_read_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    cache_write_tokens: details?.cache_creation_input_tokens ?? 0,
    reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

function fromCompletion(completion: ChatCompletion): AdapterReply {
  if (typeof completion !== 'object' || completion === null || !Array.isArray(completion.choices)) {
    const body = typeof completion === 'string' ? completion : JSON.stringify(completion);
    throw new MalformedReplyError(`The provider's reply is not a chat completion (no "choices"): ${String(body).slice(0, 200)}`);
  }
  const choice = completion.choices[0];
  const message = choice?.message as (ChatCompletion.Choice['message'] & { reasoning_content?: string }) | undefined;
  const toolCalls: ToolCall[] = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments, origin: 'completion' as const }] : [],
  );
  return {
    id: completion.id,
    content: message?.content ?? null,
    ...(message?.reasoning_content ? { reasoningContent: message.reasoning_content } : {}),
    toolCalls,
    finishReason: choice?.finish_reason ?? null,
    usage: usageOf(completion.usage),
  };
}

async function fromChunks(stream: AsyncIterable<ChatCompletionChunk>, onToken?: (delta: TokenDelta) => void): Promise<AdapterReply> {
  let id = '';
  let content = '';
  let reasoning = '';
  let finishReason: string | null = null;
  let usage: ChatCompletionChunk['usage'] = null;
  const calls: { id: string; name: string; arguments: string }[] = [];
  for await (const chunk of stream) {
    id ||= chunk.id;
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices?.[0];
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
    toolCalls: calls.filter(Boolean).map((call) => ({ ...call, origin: 'completion' as const })),
    finishReason,
    usage: usageOf(usage),
  };
}
