import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ToolCall } from './content.js';
import { ConfigError } from './errors.js';
import { openAIClientFor } from './http-client-pool.js';
import type { CompletionRequest, TokenDelta } from './language-model.js';
import type { LLMConfig } from './llm-config.js';
import { toChatMessages, toChatTools } from './openai-chat-messages.js';
import type { AdapterReply, FailureClass, ProviderAdapter } from './provider-adapter.js';
import type { ProviderRoute } from './provider-routing.js';
import { parseRetryAfter } from './retry.js';

/** The connection closed before the streamed reply was complete. */
class IncompleteStreamError extends Error {
  override name = 'IncompleteStreamError';
}

/** The provider answered 2xx with a body that is not a chat completion (an empty object, an HTML page of a proxy). */
class MalformedReplyError extends Error {
  override name = 'MalformedReplyError';
}

/** OpenAI's Chat Completions API (and every OpenAI-compatible endpoint), through the `openai` client. */
export class OpenAIChatAdapter implements ProviderAdapter {
  constructor(
    readonly route: ProviderRoute,
    readonly config: LLMConfig,
  ) {}

  #client(): OpenAI {
    const apiKey = this.config.apiKey ?? process.env.LLM_API_KEY ?? (this.route.needsKey ? undefined : 'not-needed');
    if (!apiKey) throw new ConfigError('LLM_API_KEY is not set; set it or pass apiKey to the LLM.');
    return openAIClientFor(this.route.baseUrl, apiKey, this.config);
  }

  #params(request: CompletionRequest): ChatCompletionCreateParams {
    return {
      model: this.route.model,
      messages: toChatMessages(request.messages),
      ...(request.tools.length > 0 ? { tools: toChatTools(request.tools) } : {}),
      ...(this.config.temperature === undefined ? {} : { temperature: this.config.temperature }),
      ...(this.config.maxOutputTokens === undefined ? {} : { max_completion_tokens: this.config.maxOutputTokens }),
    };
  }

  async attempt(request: CompletionRequest, signal: AbortSignal): Promise<AdapterReply> {
    const client = this.#client();
    const options = {
      signal,
      ...(request.conversationId ? { headers: { 'x-troupe-conversation-id': request.conversationId } } : {}),
    };
    const params = this.#params(request);
    if (this.config.stream) {
      const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } }, options);
      return fromChunks(stream, request.onToken);
    }
    return fromCompletion(await client.chat.completions.create({ ...params, stream: false }, options));
  }

  classify(error: unknown): FailureClass {
    if (error instanceof APIUserAbortError) return { retryable: false };
    if (error instanceof APIConnectionError) return { retryable: true };
    if (error instanceof APIError && typeof error.status === 'number') {
      if (isContextLengthError(error)) return { retryable: false, status: error.status, contextLengthExceeded: true };
      const retryAfterMs = parseRetryAfter(error.headers);
      const retryable = error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
      return { retryable, status: error.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    // A stream that broke mid-way surfaces as a plain error from the fetch body.
    const retryable =
      error instanceof IncompleteStreamError ||
      error instanceof MalformedReplyError ||
      (error instanceof Error && /terminated|socket|ECONNRESET|premature/i.test(error.message));
    return { retryable };
  }
}

/** OpenAI's `context_length_exceeded` code, or the 400 message OpenAI-compatible servers send without it. */
function isContextLengthError(error: APIError): boolean {
  return error.code === 'context_length_exceeded' || (error.status === 400 && /maximum context length|context window|context length|too many tokens/i.test(error.message));
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
    call.type === 'function' ? [{ id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }] : [],
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
    toolCalls: calls.filter(Boolean).map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })),
    finishReason,
    usage: usageOf(usage),
  };
}
