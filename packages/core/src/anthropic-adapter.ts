import { APIConnectionError, APIError, APIUserAbortError } from '@anthropic-ai/sdk/error';
import type { Message as AnthropicMessage, MessageCreateParamsNonStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { AnyThinkingBlock, ToolCall } from './content.js';
import { anthropicClientForRoute } from './http-client-pool.js';
import type { CompletionRequest, TokenDelta } from './language-model.js';
import type { LLMConfig } from './llm-config.js';
import type { ModelCapabilities } from './model-capabilities.js';
import { toAnthropicRequest } from './anthropic-messages.js';
import type { AdapterReply, FailureClass, ProviderAdapter } from './provider-adapter.js';
import { IncompleteStreamError, isBrokenReply, MalformedReplyError } from './provider-reply-errors.js';
import type { ProviderRoute } from './provider-routing.js';
import { parseRetryAfter } from './retry.js';

/** Lets Claude 4 models think between tool calls, not only before the first. */
const INTERLEAVED_THINKING_BETA = 'interleaved-thinking-2025-05-14';

/** Anthropic's error types that a later attempt may get past, as the HTTP status they stand for. */
const RETRYABLE_TYPES: Record<string, number> = { overloaded_error: 529, api_error: 500, rate_limit_error: 429, timeout_error: 504 };

/**
 * Anthropic's Messages API through `@anthropic-ai/sdk`: prompt caching, extended thinking (sent
 * back unchanged), streaming, tools and images.
 */
export class AnthropicAdapter implements ProviderAdapter {
  constructor(
    readonly route: ProviderRoute,
    readonly config: LLMConfig,
    readonly capabilities: ModelCapabilities | undefined,
  ) {}

  async attempt(request: CompletionRequest, signal: AbortSignal): Promise<AdapterReply> {
    const client = await anthropicClientForRoute(this.route, this.config.apiKey, this.config);
    const params = {
      ...toAnthropicRequest(request.messages, request.tools, this.route.model, this.config, this.capabilities),
      ...this.config.litellmExtraBody,
    } as unknown as MessageCreateParamsNonStreaming;
    const thinking = this.config.extendedThinkingBudget !== undefined && !/claude-3/.test(this.route.model);
    const headers = {
      ...(request.conversationId ? { 'x-troupe-conversation-id': request.conversationId } : {}),
      ...(thinking ? { 'anthropic-beta': INTERLEAVED_THINKING_BETA } : {}),
      ...this.config.extraHeaders,
    };
    if (this.config.stream) {
      const stream = await client.messages.create({ ...params, stream: true }, { signal, headers });
      return fromStream(stream, request.onToken);
    }
    return fromMessage(await client.messages.create({ ...params, stream: false }, { signal, headers }));
  }

  classify(error: unknown): FailureClass {
    if (error instanceof APIUserAbortError) return { retryable: false };
    if (error instanceof APIConnectionError) return { retryable: true };
    if (error instanceof APIError) {
      const retryAfterMs = parseRetryAfter(error.headers);
      const wait = retryAfterMs === undefined ? {} : { retryAfterMs };
      if (typeof error.status !== 'number') {
        // An `event: error` inside a stream that had started.
        const status = error.type === null ? undefined : RETRYABLE_TYPES[error.type];
        return status === undefined ? { retryable: false } : { retryable: true, status, ...wait };
      }
      if (error.status === 400 && /prompt is too long|context window|context length/i.test(error.message)) {
        return { retryable: false, status: 400, contextLengthExceeded: true };
      }
      const retryable = error.status === 408 || error.status === 409 || error.status === 429 || error.status >= 500;
      return { retryable, status: error.status, ...wait };
    }
    return { retryable: isBrokenReply(error) };
  }
}

/** Anthropic's stop reasons in the OpenAI terms the rest of Troupe reads. */
const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  refusal: 'content_filter',
};

interface Usage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** `prompt_tokens` is all the input: billed at full price, written to the cache and read from it. */
function usageOf(usage: Usage): AdapterReply['usage'] {
  const written = usage.cache_creation_input_tokens ?? 0;
  const read = usage.cache_read_input_tokens ?? 0;
  return {
    prompt_tokens: (usage.input_tokens ?? 0) + written + read,
    completion_tokens: usage.output_tokens ?? 0,
    cache_read_tokens: read,
    cache_write_tokens: written,
    reasoning_tokens: 0,
  };
}

/** A reply's content blocks, however they arrived. */
interface Assembled {
  text: string[];
  thinking: AnyThinkingBlock[];
  toolCalls: ToolCall[];
}

function reply(id: string, assembled: Assembled, stopReason: string | null, usage: Usage): AdapterReply {
  const reasoning = assembled.thinking.flatMap((block) => (block.type === 'thinking' && block.thinking !== '' ? [block.thinking] : [])).join('\n');
  const text = assembled.text.join('');
  return {
    id,
    content: text.length > 0 ? text : null,
    ...(reasoning ? { reasoningContent: reasoning } : {}),
    ...(assembled.thinking.length > 0 ? { thinkingBlocks: assembled.thinking } : {}),
    toolCalls: assembled.toolCalls,
    finishReason: stopReason === null ? null : (FINISH_REASONS[stopReason] ?? stopReason),
    usage: usageOf(usage),
  };
}

function fromMessage(message: AnthropicMessage): AdapterReply {
  if (typeof message !== 'object' || message === null || !Array.isArray(message.content)) {
    const body = typeof message === 'string' ? message : JSON.stringify(message);
    throw new MalformedReplyError(`The provider's reply is not a Messages API message (no "content"): ${String(body).slice(0, 200)}`);
  }
  const assembled: Assembled = { text: [], thinking: [], toolCalls: [] };
  for (const block of message.content) {
    if (block.type === 'text') assembled.text.push(block.text);
    else if (block.type === 'thinking') assembled.thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    else if (block.type === 'redacted_thinking') assembled.thinking.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'tool_use') {
      assembled.toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}), origin: 'completion' });
    }
  }
  return reply(message.id, assembled, message.stop_reason, message.usage);
}

type BlockInProgress =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; json: string }
  | { type: 'other' };

async function fromStream(stream: AsyncIterable<RawMessageStreamEvent>, onToken?: (delta: TokenDelta) => void): Promise<AdapterReply> {
  let id = '';
  let usage: Usage = {};
  let stopReason: string | null = null;
  let stopped = false;
  const blocks: BlockInProgress[] = [];
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        id = event.message.id;
        usage = { ...event.message.usage };
        break;
      case 'content_block_start': {
        const block = event.content_block;
        blocks[event.index] =
          block.type === 'text'
            ? { type: 'text', text: block.text }
            : block.type === 'thinking'
              ? { type: 'thinking', thinking: block.thinking, signature: block.signature }
              : block.type === 'redacted_thinking'
                ? { type: 'redacted_thinking', data: block.data }
                : block.type === 'tool_use'
                  ? { type: 'tool_use', id: block.id, name: block.name, json: '' }
                  : { type: 'other' };
        break;
      }
      case 'content_block_delta': {
        const block = blocks[event.index];
        const delta = event.delta;
        if (delta.type === 'text_delta' && block?.type === 'text') {
          block.text += delta.text;
          onToken?.({ content: delta.text });
        } else if (delta.type === 'thinking_delta' && block?.type === 'thinking') {
          block.thinking += delta.thinking;
          onToken?.({ reasoning_content: delta.thinking });
        } else if (delta.type === 'signature_delta' && block?.type === 'thinking') {
          block.signature = delta.signature;
        } else if (delta.type === 'input_json_delta' && block?.type === 'tool_use') {
          block.json += delta.partial_json;
        }
        break;
      }
      case 'message_delta':
        stopReason = event.delta.stop_reason;
        usage = { ...usage, ...definedFields(event.usage as Usage) };
        break;
      case 'message_stop':
        stopped = true;
        break;
      default:
        break;
    }
  }
  if (!stopped) throw new IncompleteStreamError('The model stream ended before message_stop (connection terminated).');
  const assembled: Assembled = { text: [], thinking: [], toolCalls: [] };
  for (const block of blocks) {
    if (block?.type === 'text') assembled.text.push(block.text);
    else if (block?.type === 'thinking') assembled.thinking.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
    else if (block?.type === 'redacted_thinking') assembled.thinking.push({ type: 'redacted_thinking', data: block.data });
    else if (block?.type === 'tool_use') {
      assembled.toolCalls.push({ id: block.id, name: block.name, arguments: block.json === '' ? '{}' : block.json, origin: 'completion' });
    }
  }
  return reply(id, assembled, stopReason, usage);
}

/** The usage fields a `message_delta` carries (the cumulative counts), without the ones it leaves null. */
function definedFields(usage: Usage): Usage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== null && value !== undefined));
}
