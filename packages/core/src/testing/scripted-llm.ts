import { ContextLengthExceededError, LLMAbortedError, LLMError } from '../errors.js';
import type { Message } from '../content.js';
import type { CompletionRequest, CompletionResponse, LanguageModel } from '../language-model.js';
import { sleep } from '../retry.js';
import { type MockFault, type MockReply, type MockScript, MockScriptSchema, type MockTurnBy } from './mock-script.js';
import { estimateTokens } from './mock-text.js';

/**
 * A model that answers from a script, in-process, without HTTP: for unit tests of the loop.
 * It reads the same script language as the mock server (turn = number of assistant messages in
 * the request, or with `turnBy: 'replies'` the replies given so far; faults per attempt; a turn's
 * `contextWindow` against the request's size: the characters of its messages as JSON / 4).
 * Faults throw an `LLMError` (no retries here); `context_length_exceeded` a `ContextLengthExceededError`.
 */
export class ScriptedLLM implements LanguageModel {
  readonly usageId: string;
  readonly model: string;
  readonly #script: MockScript;
  readonly #fallback: MockReply;
  readonly #attempts = new Map<number, number>();
  readonly #turnBy: MockTurnBy;
  #replies = 0;
  /** Every request received, in order. */
  readonly requests: Message[][] = [];

  constructor(script: MockScript, options: { usageId?: string; model?: string; fallback?: MockReply; turnBy?: MockTurnBy } = {}) {
    this.#script = MockScriptSchema.parse(script);
    this.#turnBy = options.turnBy ?? 'assistant_messages';
    this.usageId = options.usageId ?? 'agent';
    this.model = options.model ?? 'scripted/model';
    this.#fallback = options.fallback ?? { type: 'text', text: 'Done.' };
  }

  async complete(request: CompletionRequest): Promise<CompletionResponse> {
    this.requests.push(request.messages);
    const turnIndex = this.#turnBy === 'replies' ? this.#replies : request.messages.filter((message) => message.role === 'assistant').length;
    const attempt = this.#attempts.get(turnIndex) ?? 0;
    this.#attempts.set(turnIndex, attempt + 1);
    const turn = this.#script[turnIndex];
    const promptTokens = estimateTokens(JSON.stringify(request.messages).length);
    const tooLong: MockFault | undefined = turn?.contextWindow !== undefined && promptTokens > turn.contextWindow ? { type: 'context_length_exceeded' } : undefined;
    const fault = tooLong ?? turn?.faults?.[attempt];
    const started = performance.now();
    try {
      if (turn?.latencyMs) await sleep(turn.latencyMs, request.signal);
      if (fault?.type === 'hang') await sleep(2 ** 31 - 1, request.signal);
    } catch (reason) {
      throw new LLMAbortedError('The model call was aborted.', { cause: reason });
    }
    if (fault?.type === 'context_length_exceeded') {
      throw new ContextLengthExceededError(`Scripted fault: context_length_exceeded (${promptTokens} prompt tokens)`, { attempts: 1, retryable: false, status: 400 });
    }
    if (fault) {
      const status = fault.type === 'http_error' ? fault.status : fault.type === 'stream_error' ? (fault.status ?? 529) : undefined;
      throw new LLMError(`Scripted fault: ${fault.type}${status ? ` ${status}` : ''}`, { attempts: 1, retryable: true, ...(status ? { status } : {}) });
    }
    this.#replies++;
    const reply = turn?.reply ?? this.#fallback;
    const id = `scripted-${turnIndex}-${attempt}`;
    const text = reply.type === 'empty' ? null : (reply.text ?? null);
    const toolCalls =
      reply.type === 'tool_calls'
        ? reply.calls.map((call, index) => ({
            id: call.id ?? `call_${turnIndex}_${index}`,
            name: call.name,
            arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
            origin: 'completion' as const,
          }))
        : [];
    const usage = {
      prompt_tokens: turn?.usage?.prompt_tokens ?? 0,
      completion_tokens: turn?.usage?.completion_tokens ?? 0,
      cache_read_tokens: turn?.usage?.cached_tokens ?? 0,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
    };
    return {
      id,
      content: text,
      ...(reply.type !== 'empty' && reply.reasoning ? { reasoningContent: reply.reasoning } : {}),
      toolCalls,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      call: { model: this.model, responseId: id, latencyMs: performance.now() - started, cost: 0, usage },
    };
  }
}
