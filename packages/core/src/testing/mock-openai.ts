import type { MockReply, MockTurn } from './mock-script.js';
import { estimateTokens, slices, words } from './mock-text.js';
import type { MockTokenUsage } from './mock-usage.js';
import type { MockWire, WireError, WireHttpAnswer, WireParse, WireReply, WireRequest } from './mock-wire.js';

/** The OpenAI chat completions protocol of the mock server: `POST /v1/chat/completions`, JSON and SSE. */

export const MOCK_MODEL_ID = 'mock-model';

/** The context window the OpenAI route claims in a `context_length_exceeded` fault without a turn's own window. */
export const MOCK_OPENAI_CONTEXT_WINDOW = 128_000;

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

export class OpenAiWire implements MockWire {
  readonly api = 'openai';
  #completionCount = 0;

  parse(raw: string): WireParse {
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return reject(null, 'The request body is not valid JSON: send a ChatCompletionCreateParams object.');
    }
    if (!Array.isArray(body?.messages)) return reject(body, 'The request body needs `messages`, an array of chat messages.');
    return { ok: true, request: { body, stream: body.stream === true, turn: countAssistantMessages(body.messages) } };
  }

  render(request: WireRequest, scriptTurn: MockTurn | undefined, reply: MockReply): WireReply {
    const rendered = renderReply(reply, request.turn);
    const usage = usageOf(scriptTurn, request.body.messages, rendered);
    const tokenUsage: MockTokenUsage = {
      inputTokens: usage.prompt_tokens - usage.prompt_tokens_details.cached_tokens,
      cacheCreationInputTokens: 0,
      cacheReadInputTokens: usage.prompt_tokens_details.cached_tokens,
      outputTokens: usage.completion_tokens,
    };
    const meta = this.#completionMeta(request.body);
    if (!request.stream) return { usage: tokenUsage, headers: {}, json: JSON.stringify(completionJson(rendered, meta, usage)) };
    const includeUsage = request.body.stream_options?.include_usage === true;
    return { usage: tokenUsage, headers: {}, events: sseEvents(rendered, meta, includeUsage ? usage : undefined) };
  }

  errorAnswer(error: WireError, retryAfter?: number): WireHttpAnswer {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
    return { status: error.status, body: openAiErrorBody(error.status, error.message, error.type ?? 'mock_error', error.code), headers };
  }

  promptTokens(request: WireRequest): number {
    return estimateTokens(JSON.stringify(request.body.messages).length);
  }

  contextLengthError(request: WireRequest, contextWindow = MOCK_OPENAI_CONTEXT_WINDOW): WireError {
    return contextLengthError(this.promptTokens(request), 'messages', contextWindow);
  }

  streamErrorEvent(error: WireError): string {
    return `data: ${JSON.stringify(openAiErrorBody(error.status, error.message, 'mock_error'))}\n\n`;
  }

  brokenEvent(): string {
    return `data: {"id":"chatcmpl-mock-${this.#completionCount}","object":"chat.completion.chunk","choices":[{"ind\n\n`;
  }

  #completionMeta(body: any): CompletionMeta {
    return {
      id: `chatcmpl-mock-${++this.#completionCount}`,
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === 'string' ? body.model : MOCK_MODEL_ID,
    };
  }
}

/** The error body of the OpenAI protocol; the mock's own route errors use it too. */
export function openAiErrorBody(status: number, message: string, type: string, code?: string): object {
  return { error: { message, type, code: code ?? status } };
}

/** OpenAI's answer to a prompt over the context window (both of its APIs). */
export function contextLengthError(promptTokens: number, input: 'messages' | 'input', contextWindow = MOCK_OPENAI_CONTEXT_WINDOW): WireError {
  return {
    status: 400,
    type: 'invalid_request_error',
    code: 'context_length_exceeded',
    message:
      `This model's maximum context length is ${contextWindow} tokens. However, your ${input} resulted in ` +
      `${Math.max(promptTokens, contextWindow + 1)} tokens. Please reduce the length of the ${input}.`,
  };
}

function reject(body: unknown, message: string): WireParse {
  const turn = Array.isArray((body as { messages?: unknown } | null)?.messages) ? countAssistantMessages((body as { messages: unknown[] }).messages) : 0;
  return { ok: false, error: { status: 400, message, type: 'invalid_request_error' }, body, turn };
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
        reasoning: reply.reasoning,
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
    // Two pieces (when there are two characters), so clients must join argument deltas.
    for (const piece of slices(call.arguments, 2)) events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(delta({}, reply.finishReason));
  if (usage !== undefined) events.push(`${chunkPrefix}[],"usage":${JSON.stringify(usage)}}\n\n`);
  events.push('data: [DONE]\n\n');
  return events;
}

export function countAssistantMessages(messages: unknown[]): number {
  let count = 0;
  for (const message of messages) {
    if ((message as { role?: unknown } | null)?.role === 'assistant') count++;
  }
  return count;
}
