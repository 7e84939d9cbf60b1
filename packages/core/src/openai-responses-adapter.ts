import type { Response, ResponseCreateParamsNonStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ReasoningItem, ToolCall } from './content.js';
import { openAIClientForRoute } from './http-client-pool.js';
import type { CompletionRequest, TokenDelta } from './language-model.js';
import type { LLMConfig } from './llm-config.js';
import type { ModelCapabilities } from './model-capabilities.js';
import { classifyOpenAIError, requestHeaders } from './openai-chat-adapter.js';
import { toResponsesRequest } from './openai-responses-messages.js';
import type { AdapterReply, FailureClass, ProviderAdapter } from './provider-adapter.js';
import { IncompleteStreamError, MalformedReplyError } from './provider-reply-errors.js';
import type { ProviderRoute } from './provider-routing.js';

/**
 * OpenAI's Responses API (`apiMode: 'responses'`), through the `openai` client: reasoning items
 * come back with their encrypted content and go out again on the next turn, so a reasoning model
 * keeps its reasoning across tool calls without the provider storing anything.
 */
export class OpenAIResponsesAdapter implements ProviderAdapter {
  constructor(
    readonly route: ProviderRoute,
    readonly config: LLMConfig,
    readonly capabilities: ModelCapabilities | undefined,
  ) {}

  async attempt(request: CompletionRequest, signal: AbortSignal): Promise<AdapterReply> {
    const client = await openAIClientForRoute(this.route, this.config.apiKey, this.config);
    const params = {
      ...toResponsesRequest(request.messages, request.tools, this.route.model, this.config, this.capabilities),
      ...this.config.litellmExtraBody,
    } as unknown as ResponseCreateParamsNonStreaming;
    const options = { signal, headers: requestHeaders(request, this.config) };
    if (this.config.stream) return fromEvents(await client.responses.create({ ...params, stream: true }, options), request.onToken);
    return fromResponse(await client.responses.create({ ...params, stream: false }, options));
  }

  classify(error: unknown): FailureClass {
    return classifyOpenAIError(error);
  }
}

function fromResponse(response: Response): AdapterReply {
  if (typeof response !== 'object' || response === null || !Array.isArray(response.output)) {
    const body = typeof response === 'string' ? response : JSON.stringify(response);
    throw new MalformedReplyError(`The provider's reply is not a Responses API response (no "output"): ${String(body).slice(0, 200)}`);
  }
  const text: string[] = [];
  const toolCalls: ToolCall[] = [];
  let reasoning: ReasoningItem | undefined;
  for (const item of response.output) {
    if (item.type === 'message') {
      for (const part of item.content) if (part.type === 'output_text') text.push(part.text);
    } else if (item.type === 'function_call') {
      toolCalls.push({ id: item.call_id, name: item.name, arguments: item.arguments, origin: 'responses' });
    } else if (item.type === 'reasoning' && reasoning === undefined) {
      reasoning = {
        id: item.id,
        summary: item.summary.map((part) => part.text),
        content: item.content?.map((part) => part.text) ?? null,
        encrypted_content: item.encrypted_content ?? null,
        status: item.status ?? null,
      };
    }
  }
  const shown = reasoning === undefined ? '' : [...reasoning.summary, ...(reasoning.content ?? [])].join('\n');
  const content = text.join('');
  const usage = response.usage;
  return {
    id: response.id,
    content: content === '' ? null : content,
    ...(shown ? { reasoningContent: shown } : {}),
    ...(reasoning === undefined ? {} : { responsesReasoningItem: reasoning }),
    toolCalls,
    finishReason: response.status === 'incomplete' ? (response.incomplete_details?.reason === 'max_output_tokens' ? 'length' : 'content_filter') : toolCalls.length > 0 ? 'tool_calls' : 'stop',
    usage: {
      prompt_tokens: usage?.input_tokens ?? 0,
      completion_tokens: usage?.output_tokens ?? 0,
      cache_read_tokens: usage?.input_tokens_details?.cached_tokens ?? 0,
      cache_write_tokens: 0,
      reasoning_tokens: usage?.output_tokens_details?.reasoning_tokens ?? 0,
    },
  };
}

/** Streams the text and reasoning deltas as tokens; the reply is the `response.completed` event's response. */
async function fromEvents(stream: AsyncIterable<ResponseStreamEvent>, onToken?: (delta: TokenDelta) => void): Promise<AdapterReply> {
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') onToken?.({ content: event.delta });
    else if (event.type === 'response.reasoning_summary_text.delta' || event.type === 'response.reasoning_text.delta') onToken?.({ reasoning_content: event.delta });
    else if (event.type === 'response.completed' || event.type === 'response.incomplete') return fromResponse(event.response);
    else if (event.type === 'response.failed') throw new IncompleteStreamError(`The response failed: ${event.response.error?.message ?? 'no reason given'}`);
    else if (event.type === 'error') throw new IncompleteStreamError(`The response stream reported an error: ${event.message}`);
  }
  throw new IncompleteStreamError('The model stream ended before response.completed (connection terminated).');
}
