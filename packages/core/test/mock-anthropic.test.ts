import Anthropic, { APIError, APIUserAbortError, BadRequestError, InternalServerError, OverloadedError, RateLimitError } from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, MessageParam, MessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mock, startMockServer, type MockScript, type MockServer } from '../src/testing/index.js';

const READ_FILE: Tool = { name: 'read_file', description: 'Reads a file.', input_schema: { type: 'object', properties: { path: { type: 'string' } } } };
const USER: MessageParam[] = [{ role: 'user', content: 'What does a.txt say?' }];
const BASE: MessageCreateParamsNonStreaming = { model: 'claude-test', max_tokens: 4096, messages: USER };
const THINKING = { type: 'enabled', budget_tokens: 2048 } as const;

let server: MockServer;
let client: Anthropic;

beforeAll(async () => {
  server = await startMockServer();
  client = new Anthropic({ baseURL: server.anthropicUrl, apiKey: 'test-key', maxRetries: 0 });
});

afterEach(() => {
  server.setDefaultScript([]);
  server.reset();
});

afterAll(async () => {
  await server.close();
});

function scripted(conversationId: string, script: MockScript) {
  server.setScript(conversationId, script);
  return { headers: { 'x-troupe-conversation-id': conversationId } };
}

async function collect(stream: AsyncIterable<MessageStreamEvent>): Promise<MessageStreamEvent[]> {
  const events: MessageStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

describe('JSON replies', () => {
  it('answers with a message, echoes the model, reports usage and logs the request', async () => {
    const options = scripted('json-text', [mock.text('Hello there')]);
    const { data: message, request_id } = await client.messages
      .create({ ...BASE, system: 'Be brief.', metadata: { user_id: 'u1' } }, { ...options, headers: { ...options.headers, 'anthropic-beta': 'a-beta,b-beta' } })
      .withResponse();
    const [record] = server.requestsFor('json-text');

    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-test', stop_reason: 'end_turn', stop_sequence: null });
    expect(message.id).toMatch(/^msg_/);
    expect(request_id).toMatch(/^req_/);
    expect(message.content).toEqual([{ type: 'text', text: 'Hello there', citations: null }]);
    expect(message.usage).toMatchObject({ input_tokens: record!.anthropic!.promptTokens, output_tokens: Math.ceil('Hello there'.length / 4), cache_read_input_tokens: 0 });
    expect(record).toMatchObject({ api: 'anthropic', turn: 0, attempt: 0, stream: false, outcome: 'replied' });
    expect(record!.anthropic).toMatchObject({ apiKey: 'test-key', betas: ['a-beta', 'b-beta'], cacheBreakpoints: [], thinkingBlocks: [] });
    expect(record!.anthropic!.version).toBeTruthy();
    expect(record!.anthropic!.request!.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(record!.anthropic!.request!.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'What does a.txt say?' }] }]);
    expect(record!.usage).toEqual({ inputTokens: message.usage.input_tokens, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, outputTokens: message.usage.output_tokens });
  });

  it('answers tool calls as tool_use blocks after the text, with stop_reason tool_use', async () => {
    const options = scripted('json-tools', [
      mock.toolCalls([{ name: 'read_file', arguments: { path: 'a.txt' } }, { name: 'read_file', arguments: '{"path":"b.txt"}', id: 'toolu_custom' }], { text: 'Reading.' }),
    ]);
    const message = await client.messages.create({ ...BASE, tools: [READ_FILE] }, options);

    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.map((block) => (block.type === 'tool_use' ? [block.type, block.id, block.input] : [block.type]))).toEqual([
      ['text'],
      ['tool_use', 'toolu_0_0', { path: 'a.txt' }],
      ['tool_use', 'toolu_custom', { path: 'b.txt' }],
    ]);
  });

  it('stops at max_tokens and at a stop sequence, as the model would', async () => {
    const long = 'word '.repeat(40);
    const cut = await client.messages.create({ ...BASE, max_tokens: 5 }, scripted('max-tokens', [mock.text(long)]));
    const stopped = await client.messages.create({ ...BASE, stop_sequences: ['STOP'] }, scripted('stop-seq', [mock.toolCall('read_file', { path: 'x' }, { text: 'one STOP two' })]));

    expect(cut).toMatchObject({ stop_reason: 'max_tokens', content: [{ type: 'text', text: long.slice(0, 20) }], usage: { output_tokens: 5 } });
    expect(stopped).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'STOP', content: [{ type: 'text', text: 'one ' }] });
  });
});

describe('streaming', () => {
  it('streams the events in Anthropic order, with ping, and in several deltas', async () => {
    const options = scripted('sse-raw', [mock.text('The quick brown fox', { reasoning: 'Say something.' })]);
    const response = await fetch(`${server.anthropicUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01', ...options.headers },
      body: JSON.stringify({ ...BASE, thinking: THINKING, stream: true }),
    });
    const names = [...(await response.text()).matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);

    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const compact = names.filter((name, index) => name !== 'content_block_delta' || names[index - 1] !== 'content_block_delta');
    expect(compact).toEqual([
      'message_start', 'ping',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    expect(names.filter((name) => name === 'content_block_delta').length).toBeGreaterThanOrEqual(2 + 1 + 4);
  });

  it('streams thinking with a signature_delta and text, assembling to the JSON reply', async () => {
    const script = [mock.text('The quick brown fox', { reasoning: 'Say something short.' })];
    const json = await client.messages.create({ ...BASE, thinking: THINKING }, scripted('json-think', script));
    const stream = client.messages.stream({ ...BASE, thinking: THINKING }, scripted('sse-think', script));
    const events = await collect(stream);
    const final = await stream.finalMessage();

    const deltas = events.flatMap((event) => (event.type === 'content_block_delta' ? [event.delta] : []));
    expect(deltas.filter((delta) => delta.type === 'thinking_delta').length).toBeGreaterThan(1);
    expect(deltas.filter((delta) => delta.type === 'signature_delta')).toHaveLength(1);
    expect(deltas.filter((delta) => delta.type === 'text_delta').length).toBeGreaterThan(1);
    expect(final.content).toEqual(json.content);
    expect(final.content[0]).toMatchObject({ type: 'thinking', thinking: 'Say something short.' });
    expect(final.usage.output_tokens).toBe(json.usage.output_tokens);
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: json.usage.output_tokens } });
  });

  it('streams tool input as input_json_delta in several chunks', async () => {
    const stream = client.messages.stream({ ...BASE, tools: [READ_FILE] }, scripted('sse-tool', [mock.toolCall('read_file', { path: 'some/longer/path.txt' })]));
    const events = await collect(stream);
    const final = await stream.finalMessage();

    const pieces = events.flatMap((event) => (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta' ? [event.delta.partial_json] : []));
    expect(pieces.filter((piece) => piece !== '').length).toBeGreaterThanOrEqual(3);
    expect(pieces.join('')).toBe('{"path":"some/longer/path.txt"}');
    expect(final).toMatchObject({ stop_reason: 'tool_use', content: [{ type: 'tool_use', id: 'toolu_0_0', name: 'read_file', input: { path: 'some/longer/path.txt' } }] });
  });
});

describe('thinking', () => {
  const script = () => [mock.toolCall('read_file', { path: 'a.txt' }, { reasoning: 'Read a.txt first.', redactedThinking: ['hidden'] }), mock.text('It says hello.')];
  const params = { ...BASE, thinking: THINKING, tools: [READ_FILE] };

  async function firstTurn(conversationId: string): Promise<Anthropic.Message> {
    return client.messages.create(params, scripted(conversationId, script()));
  }

  function continued(content: Anthropic.ContentBlockParam[], toolUseId: string): MessageParam[] {
    return [...USER, { role: 'assistant', content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUseId, content: 'hello' }] }];
  }

  it('gives thinking only when the request enables it', async () => {
    const plain = await client.messages.create({ ...BASE, tools: [READ_FILE] }, scripted('no-think', script()));
    const thinking = await firstTurn('think-on');

    expect(plain.content.map((block) => block.type)).toEqual(['tool_use']);
    expect(thinking.content.map((block) => block.type)).toEqual(['thinking', 'redacted_thinking', 'tool_use']);
  });

  it('accepts the thinking blocks sent back unchanged and logs them as valid', async () => {
    const first = await firstTurn('think-back');
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    const second = await client.messages.create({ ...params, messages: continued(first.content as Anthropic.ContentBlockParam[], toolUse.id) }, scripted('think-back', script()));

    expect(second.content.at(-1)).toMatchObject({ type: 'text', text: 'It says hello.' });
    expect(server.requestsFor('think-back')[1]!.anthropic!.thinkingBlocks).toEqual([
      { messageIndex: 1, blockIndex: 0, type: 'thinking', valid: true },
      { messageIndex: 1, blockIndex: 1, type: 'redacted_thinking', valid: true },
    ]);
  });

  it('rejects a tampered thinking block with 400, and logs it', async () => {
    const first = await firstTurn('think-tampered');
    const [thinking, redacted, toolUse] = first.content as [Anthropic.ThinkingBlock, Anthropic.RedactedThinkingBlock, Anthropic.ToolUseBlock];
    const tampered = [{ ...thinking, thinking: `${thinking.thinking} Edited.` }, redacted, toolUse];
    const error = await client.messages.create({ ...params, messages: continued(tampered, toolUse.id) }, scripted('think-tampered', script())).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringMatching(/^messages\.1\.content\.0: Invalid `signature`/) } });
    const record = server.requestsFor('think-tampered')[1]!;
    expect(record).toMatchObject({ outcome: 'rejected', rejection: { status: 400 } });
    expect(record.anthropic!.thinkingBlocks.map((block) => block.valid)).toEqual([false, true]);
  });

  it('rejects a tool loop whose assistant turn lost its thinking', async () => {
    const first = await firstTurn('think-dropped');
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    const error = await client.messages.create({ ...params, messages: continued([toolUse], toolUse.id) }, scripted('think-dropped', script())).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
  });
});

describe('validation', () => {
  const post = (body: unknown, headers: Record<string, string> = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }) =>
    fetch(`${server.anthropicUrl}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it.each([
    ['a missing field', { model: 'm', messages: USER }, /^max_tokens: Invalid input/],
    ['an unknown field', { ...BASE, temperature_x: 1 }, /^temperature_x: Extra inputs are not permitted/],
    ['a budget above max_tokens', { ...BASE, max_tokens: 2000, thinking: THINKING }, /must be greater than `thinking.budget_tokens`/],
    ['tool_use without tool_result', { ...BASE, tools: [READ_FILE], messages: [...USER, { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'read_file', input: {} }] }] }, /tool_use` ids were found without `tool_result`/],
    ['an empty text block', { ...BASE, messages: [{ role: 'user', content: '  ' }] }, /non-whitespace text/],
    ['five breakpoints', { ...BASE, system: Array.from({ length: 5 }, (_, index) => ({ type: 'text', text: `s${index}`, cache_control: { type: 'ephemeral' } })) }, /A maximum of 4 blocks with cache_control/],
  ])('answers %s with 400 invalid_request_error', async (_, body, message) => {
    const response = await post(body);
    const error = (await response.json()) as { type: string; error: { type: string; message: string } };

    expect(response.status).toBe(400);
    expect(error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(error.error.message).toMatch(message);
    expect(server.requests.at(-1)).toMatchObject({ api: 'anthropic', outcome: 'rejected', rejection: { status: 400 } });
  });

  it('wants an API key and an anthropic-version header, and does not count refused requests as attempts', async () => {
    const options = scripted('headers', [mock.text('ok', { faults: [{ type: 'http_error', status: 500 }] })]);
    const noKey = await post(BASE, { 'anthropic-version': '2023-06-01', ...options.headers });
    const noVersion = await post(BASE, { 'x-api-key': 'k', ...options.headers });

    expect(noKey.status).toBe(401);
    expect(((await noKey.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
    expect(noVersion.status).toBe(400);
    await expect(client.messages.create(BASE, options)).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requestsFor('headers').map(({ attempt, outcome }) => [attempt, outcome])).toEqual([[0, 'rejected'], [0, 'rejected'], [0, 'fault']]);
  });

  it('refuses a scripted reply that breaks tool_choice', async () => {
    const error = await client.messages.create({ ...BASE, tools: [READ_FILE], tool_choice: { type: 'none' } }, scripted('choice', [mock.toolCall('read_file', {})])).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(/Mock script conflict.*tool_choice is none/);
  });
});

describe('faults', () => {
  it('answers 429 with retry-after and rate-limit headers, then succeeds on the SDK retry', async () => {
    const script = [mock.text('finally', { faults: [{ type: 'http_error', status: 429, retryAfter: 0.01, message: 'Slow down' }] })];
    const error = await client.messages.create(BASE, scripted('rate-limited', script)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    const { headers } = error as RateLimitError;
    expect(headers.get('retry-after')).toBe('0.01');
    expect(headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    expect((error as RateLimitError).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } });

    const retrying = new Anthropic({ baseURL: server.anthropicUrl, apiKey: 'test-key', maxRetries: 2 });
    const message = await retrying.messages.create(BASE, scripted('retried', script));
    expect(message.content).toEqual([{ type: 'text', text: 'finally', citations: null }]);
    expect(server.requestsFor('retried').map(({ attempt, outcome }) => [attempt, outcome])).toEqual([[0, 'fault'], [1, 'replied']]);
  });

  it('surfaces 529 as OverloadedError and 500 as api_error', async () => {
    const overloaded = await client.messages.create(BASE, scripted('529', [mock.text('x', { faults: [{ type: 'http_error', status: 529 }] })])).catch((caught: unknown) => caught);
    const internal = await client.messages.create(BASE, scripted('500', [mock.text('x', { faults: [{ type: 'http_error', status: 500 }] })])).catch((caught: unknown) => caught);

    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect((overloaded as APIError).type).toBe('overloaded_error');
    expect(internal).toBeInstanceOf(InternalServerError);
    expect((internal as APIError).type).toBe('api_error');
  });

  it('sends an overloaded error event mid-stream', async () => {
    const stream = client.messages.stream(BASE, scripted('stream-error', [mock.text('one two three four five', { faults: [{ type: 'stream_error' }] })]));
    const error = await collect(stream).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).type).toBe('overloaded_error');
    expect(server.requestsFor('stream-error')[0]).toMatchObject({ outcome: 'fault', fault: 'stream_error' });
  });

  it('cuts a stream, breaks JSON, and hangs until the client aborts', async () => {
    const cut = client.messages.stream(BASE, scripted('cut', [mock.text('one two three four', { faults: [{ type: 'cut_stream' }] })]));
    await expect(collect(cut)).rejects.toThrow();
    await expect(client.messages.create(BASE, scripted('broken', [mock.text('ok', { faults: [{ type: 'malformed_json' }] })]))).rejects.toThrow();

    const controller = new AbortController();
    const pending = client.messages.create(BASE, { ...scripted('hang', [mock.text('never', { faults: [{ type: 'hang' }] })]), signal: controller.signal });
    const [record] = await server.waitForRequests(1, { conversationId: 'hang' });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    await vi.waitFor(() => expect(record!.outcome).toBe('aborted'));
  });
});
