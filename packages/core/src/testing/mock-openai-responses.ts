import type { ResponsesRequestRecord } from './mock-responses-request.js';
import { contextLengthError, MOCK_MODEL_ID, openAiErrorBody } from './mock-openai.js';
import type { MockReply, MockTurn } from './mock-script.js';
import { estimateTokens, slices, textTokens, words } from './mock-text.js';
import { isValidMockReasoning, mockReasoningEncryptedContent } from './mock-thinking-signature.js';
import type { MockTokenUsage } from './mock-usage.js';
import type { MockWire, WireError, WireHttpAnswer, WireParse, WireReply, WireRequest } from './mock-wire.js';

/**
 * OpenAI's Responses API on the mock server: `POST /v1/responses`, JSON and SSE. A scripted
 * `reasoning` becomes a reasoning item whose `encrypted_content` (when the request includes
 * `reasoning.encrypted_content`) the mock seals, and checks when it comes back in `input`.
 * The turn of a request is the number of model turns in its input: runs of consecutive
 * reasoning, assistant-message and function-call items.
 */

interface ResponsesWireRequest extends WireRequest {
  responses: ResponsesRequestRecord;
}

type OutputItem =
  | { type: 'reasoning'; id: string; summary: Array<{ type: 'summary_text'; text: string }>; encrypted_content: string | null; status: 'completed' }
  | { type: 'message'; id: string; role: 'assistant'; status: 'completed'; content: Array<{ type: 'output_text'; text: string; annotations: [] }> }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'completed' };

const MODEL_ITEM_TYPES = new Set(['reasoning', 'function_call']);

export class ResponsesWire implements MockWire<ResponsesWireRequest> {
  readonly api = 'openai-responses';
  #responseCount = 0;

  parse(raw: string): WireParse<ResponsesWireRequest> {
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return { ok: false, error: invalid('The request body is not valid JSON: send a ResponseCreateParams object.'), body: null, turn: 0 };
    }
    const input: any[] = typeof body?.input === 'string' ? [{ role: 'user', content: body.input }] : body?.input;
    if (!Array.isArray(input)) return { ok: false, error: invalid('The request body needs `input`, a string or an array of input items.'), body, turn: 0 };
    const record: ResponsesRequestRecord = {
      reasoningItems: input.flatMap((item, index) =>
        item?.type === 'reasoning' && typeof item.encrypted_content === 'string' ? [{ index, valid: isValidMockReasoning(item.encrypted_content) }] : [],
      ),
      include: Array.isArray(body.include) ? body.include : [],
      store: body.store !== false,
    };
    const turn = countModelTurns(input);
    const fail = (message: string): WireParse<ResponsesWireRequest> => ({ ok: false, error: invalid(message), body, turn, responses: record });
    const tampered = record.reasoningItems.find((item) => !item.valid);
    if (tampered !== undefined) return fail(`input[${tampered.index}].encrypted_content: The encrypted content could not be verified (send it back as the mock returned it).`);
    const calls = new Set(input.flatMap((item) => (item?.type === 'function_call' ? [item.call_id] : [])));
    const orphan = input.findIndex((item) => item?.type === 'function_call_output' && !calls.has(item.call_id));
    if (orphan !== -1) return fail(`input[${orphan}]: No tool call found for function call output with call_id ${input[orphan].call_id}.`);
    return { ok: true, request: { body, stream: body.stream === true, turn, responses: record } };
  }

  render(request: ResponsesWireRequest, scriptTurn: MockTurn | undefined, reply: MockReply): WireReply {
    const output = this.#output(request, reply);
    const given = scriptTurn?.usage;
    const reasoningTokens = reply.type !== 'empty' && reply.reasoning !== undefined ? textTokens(reply.reasoning) : 0;
    const inputTokens = given?.prompt_tokens ?? estimateTokens(JSON.stringify(request.body.input).length + String(request.body.instructions ?? '').length);
    const cached = given?.cached_tokens ?? 0;
    const outputTokens = given?.completion_tokens ?? reasoningTokens + estimateTokens(JSON.stringify(output.filter((item) => item.type !== 'reasoning')).length);
    const usage = {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: cached },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: reasoningTokens },
      total_tokens: inputTokens + outputTokens,
    };
    const tokenUsage: MockTokenUsage = { inputTokens: inputTokens - cached, cacheCreationInputTokens: 0, cacheReadInputTokens: cached, outputTokens };
    const response = {
      id: `resp_mock_${++this.#responseCount}`,
      object: 'response',
      created_at: Math.floor(Date.now() / 1000),
      status: 'completed',
      model: typeof request.body.model === 'string' ? request.body.model : MOCK_MODEL_ID,
      output,
      usage,
      error: null,
      incomplete_details: null,
      store: request.responses.store,
    };
    if (!request.stream) return { usage: tokenUsage, headers: {}, json: JSON.stringify(response) };
    return { usage: tokenUsage, headers: {}, events: streamEvents(response, output) };
  }

  #output(request: ResponsesWireRequest, reply: MockReply): OutputItem[] {
    if (reply.type === 'empty') return [];
    const id = this.#responseCount + 1;
    const output: OutputItem[] = [];
    if (reply.reasoning !== undefined) {
      const encrypted = request.responses.include.includes('reasoning.encrypted_content') ? mockReasoningEncryptedContent(reply.reasoning) : null;
      output.push({ type: 'reasoning', id: `rs_mock_${id}`, summary: [{ type: 'summary_text', text: reply.reasoning }], encrypted_content: encrypted, status: 'completed' });
    }
    if (reply.text !== undefined && reply.text !== '') {
      output.push({ type: 'message', id: `msg_mock_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: reply.text, annotations: [] }] });
    }
    if (reply.type === 'tool_calls') {
      reply.calls.forEach((call, index) => {
        const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
        output.push({ type: 'function_call', id: `fc_mock_${id}_${index}`, call_id: call.id ?? `call_${request.turn}_${index}`, name: call.name, arguments: args, status: 'completed' });
      });
    }
    return output;
  }

  errorAnswer(error: WireError, retryAfter?: number): WireHttpAnswer {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
    return { status: error.status, body: openAiErrorBody(error.status, error.message, error.type ?? 'mock_error', error.code), headers };
  }

  promptTokens(request: ResponsesWireRequest): number {
    return estimateTokens(JSON.stringify(request.body.input).length);
  }

  contextLengthError(request: ResponsesWireRequest, contextWindow?: number): WireError {
    return contextLengthError(this.promptTokens(request), 'input', contextWindow);
  }

  streamErrorEvent(error: WireError): string {
    return sse('error', { type: 'error', code: error.status >= 500 ? 'server_error' : 'invalid_request', message: error.message, param: null, sequence_number: 0 });
  }

  brokenEvent(): string {
    return 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"bro\n\n';
  }
}

function invalid(message: string): WireError {
  return { status: 400, message, type: 'invalid_request_error' };
}

function countModelTurns(input: any[]): number {
  let turns = 0;
  let inTurn = false;
  for (const item of input) {
    const fromModel = MODEL_ITEM_TYPES.has(item?.type) || item?.role === 'assistant';
    if (fromModel && !inTurn) turns++;
    inTurn = fromModel;
  }
  return turns;
}

/** The SSE events of a response, in the order and shapes the Responses API streams them. */
function streamEvents(response: { output: OutputItem[] } & Record<string, unknown>, output: OutputItem[]): string[] {
  let sequence = 0;
  const events: string[] = [];
  const emit = (type: string, fields: object): void => void events.push(sse(type, { type, sequence_number: sequence++, ...fields }));
  emit('response.created', { response: { ...response, status: 'in_progress', output: [], usage: null } });
  output.forEach((item, outputIndex) => {
    const base = { item_id: item.id, output_index: outputIndex };
    if (item.type === 'reasoning') {
      emit('response.output_item.added', { output_index: outputIndex, item: { ...item, summary: [], status: 'in_progress' } });
      for (const piece of words(item.summary[0]?.text ?? '')) emit('response.reasoning_summary_text.delta', { ...base, summary_index: 0, delta: piece });
    } else if (item.type === 'message') {
      emit('response.output_item.added', { output_index: outputIndex, item: { ...item, content: [], status: 'in_progress' } });
      for (const piece of words(item.content[0]?.text ?? '')) emit('response.output_text.delta', { ...base, content_index: 0, delta: piece, logprobs: [] });
    } else {
      emit('response.output_item.added', { output_index: outputIndex, item: { ...item, arguments: '', status: 'in_progress' } });
      for (const piece of slices(item.arguments, 2)) emit('response.function_call_arguments.delta', { ...base, delta: piece });
    }
    emit('response.output_item.done', { output_index: outputIndex, item });
  });
  emit('response.completed', { response });
  return events;
}

function sse(event: string, data: object): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
