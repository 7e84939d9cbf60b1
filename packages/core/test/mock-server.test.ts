import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mock, startMockServer, type MockScript, type MockServer } from '../src/testing/index.js';
// startMockServerProcess spawns the compiled CLI that sits next to its own module, so it comes from the build.
import { startMockServerProcess } from '@troupe/core/testing';

const USER: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hi' }];

let server: MockServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startMockServer();
  client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
});

afterEach(() => {
  server.setDefaultScript([]);
  server.reset();
});

afterAll(async () => {
  await server.close();
});

/** Request options that route a call to the script of `conversationId`. */
function as(conversationId: string) {
  return { headers: { 'x-troupe-conversation-id': conversationId } };
}

function scripted(conversationId: string, script: MockScript) {
  server.setScript(conversationId, script);
  return as(conversationId);
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('JSON replies', () => {
  it('answers with text, echoes the model and reports usage', async () => {
    const options = scripted('json-text', [mock.text('Hello there')]);
    const completion = await client.chat.completions.create({ model: 'gpt-test', messages: USER }, options);

    expect(completion.id).toMatch(/^chatcmpl-mock-\d+$/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-test');
    expect(completion.choices[0]!.message).toMatchObject({ role: 'assistant', content: 'Hello there' });
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toEqual({
      prompt_tokens: Math.ceil(JSON.stringify(USER).length / 4),
      completion_tokens: Math.ceil('Hello there'.length / 4),
      total_tokens: Math.ceil(JSON.stringify(USER).length / 4) + Math.ceil('Hello there'.length / 4),
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it('sends reasoning as reasoning_content and scripted usage as given', async () => {
    const options = scripted('json-reasoning', [
      { reply: { type: 'text', text: 'Four.', reasoning: 'Two plus two.' }, usage: { prompt_tokens: 100, completion_tokens: 7, cached_tokens: 60 } },
    ]);
    const completion = await client.chat.completions.create({ model: 'm', messages: USER }, options);

    expect((completion.choices[0]!.message as unknown as { reasoning_content: string }).reasoning_content).toBe('Two plus two.');
    expect(completion.usage).toEqual({ prompt_tokens: 100, completion_tokens: 7, total_tokens: 107, prompt_tokens_details: { cached_tokens: 60 } });
  });

  it('answers with parallel tool calls whose arguments parse', async () => {
    const options = scripted('json-tools', [
      mock.toolCalls(
        [
          { name: 'read_file', arguments: { path: 'a.txt' } },
          { name: 'write_file', arguments: { path: 'b.txt', text: 'x "quoted"' }, id: 'custom-id' },
        ],
        { text: 'Working on it' },
      ),
    ]);
    const completion = await client.chat.completions.create({ model: 'm', messages: USER }, options);
    const choice = completion.choices[0]!;

    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Working on it');
    const calls = choice.message.tool_calls!.map((call) => {
      if (call.type !== 'function') throw new Error(`unexpected tool call type ${call.type}`);
      return { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) };
    });
    expect(calls).toEqual([
      { id: 'call_0_0', name: 'read_file', args: { path: 'a.txt' } },
      { id: 'custom-id', name: 'write_file', args: { path: 'b.txt', text: 'x "quoted"' } },
    ]);
  });

  it('sends an empty reply as null content without tool calls', async () => {
    const options = scripted('json-empty', [mock.empty()]);
    const completion = await client.chat.completions.create({ model: 'm', messages: USER }, options);

    expect(completion.choices[0]!.message.content).toBeNull();
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
  });

  it('delivers malformed tool-call arguments verbatim', async () => {
    const malformed = '{"path": "a.txt", ';
    const options = scripted('json-malformed', [mock.toolCall('read_file', malformed)]);
    const completion = await client.chat.completions.create({ model: 'm', messages: USER }, options);
    const call = completion.choices[0]!.message.tool_calls![0]!;

    expect(call.type === 'function' && call.function.arguments).toBe(malformed);
  });
});

describe('streaming replies', () => {
  it('streams text and reasoning in several deltas, then finish_reason and usage', async () => {
    const options = scripted('stream-text', [{ reply: { type: 'text', text: 'The quick brown fox jumps', reasoning: 'Think it over' } }]);
    const stream = await client.chat.completions.create(
      { model: 'm', messages: USER, stream: true, stream_options: { include_usage: true } },
      options,
    );
    const chunks = await collect(stream);

    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta as { content?: string; reasoning_content?: string }));
    const contentDeltas = deltas.filter((delta) => delta.content !== undefined);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(contentDeltas.length).toBeGreaterThan(1);
    expect(contentDeltas.map((delta) => delta.content).join('')).toBe('The quick brown fox jumps');
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toBe('Think it over');
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(['stop']);

    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: Math.ceil('The quick brown fox jumps'.length / 4), prompt_tokens_details: { cached_tokens: 0 } });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
  });

  it('streams tool calls as indexed deltas with arguments in pieces', async () => {
    const options = scripted('stream-tools', [
      mock.toolCalls([
        { name: 'read_file', arguments: { path: 'a.txt' } },
        { name: 'grep', arguments: '{"pattern": ' },
      ]),
    ]);
    const stream = await client.chat.completions.create(
      { model: 'm', messages: USER, stream: true, stream_options: { include_usage: true } },
      options,
    );
    const chunks = await collect(stream);

    const assembled: { id?: string; name?: string; arguments: string; pieces: number }[] = [];
    for (const chunk of chunks) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        const call = (assembled[delta.index] ??= { arguments: '', pieces: 0 });
        if (delta.id !== undefined) {
          expect(delta).toMatchObject({ type: 'function', function: { arguments: '' } });
          call.id = delta.id;
          call.name = delta.function!.name!;
        } else {
          call.arguments += delta.function!.arguments!;
          call.pieces++;
        }
      }
    }
    expect(assembled.map(({ id, name, arguments: args }) => ({ id, name, args }))).toEqual([
      { id: 'call_0_0', name: 'read_file', args: '{"path":"a.txt"}' },
      { id: 'call_0_1', name: 'grep', args: '{"pattern": ' },
    ]);
    expect(assembled.every((call) => call.pieces >= 2)).toBe(true);
    expect(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.finish_reason)).filter(Boolean)).toEqual(['tool_calls']);
    expect(chunks.at(-1)!.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('sends no usage chunk unless stream_options.include_usage is set', async () => {
    const stream = await client.chat.completions.create({ model: 'm', messages: USER, stream: true }, scripted('stream-no-usage', [mock.text('Hi')]));
    const chunks = await collect(stream);

    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('stop');
  });
});

describe('scripts and turns', () => {
  it('picks the script by x-troupe-conversation-id, else the default script', async () => {
    server.setScript('conv-a', [mock.text('from A')]);
    server.setDefaultScript([mock.text('from default')]);
    const reply = async (options?: { headers: Record<string, string> }) =>
      (await client.chat.completions.create({ model: 'm', messages: USER }, options)).choices[0]!.message.content;

    expect(await reply(as('conv-a'))).toBe('from A');
    expect(await reply(as('conv-unscripted'))).toBe('from default');
    expect(await reply()).toBe('from default');
    expect(server.requests.map((request) => request.conversationId)).toEqual(['conv-a', 'conv-unscripted', null]);
  });

  it('takes the turn from the number of assistant messages and falls back past the end', async () => {
    const options = scripted('turns', [mock.text('first'), mock.text('second')]);
    const history: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'first' },
      { role: 'user', content: 'More' },
    ];
    const second = await client.chat.completions.create({ model: 'm', messages: history }, options);
    const beyond = await client.chat.completions.create(
      { model: 'm', messages: [...history, { role: 'assistant', content: 'second' }, { role: 'user', content: 'And?' }] },
      options,
    );

    expect(second.choices[0]!.message.content).toBe('second');
    expect(beyond.choices[0]!.message.content).toBe('Done.');
    expect(server.requestsFor('turns').map((request) => request.turn)).toEqual([1, 2]);
  });

  it('answers every turn of an unscripted server with the fallback option', async () => {
    const custom = await startMockServer({ fallback: { type: 'text', text: 'Custom fallback' } });
    try {
      const customClient = new OpenAI({ baseURL: custom.url, apiKey: 'test', maxRetries: 0 });
      const completion = await customClient.chat.completions.create({ model: 'm', messages: USER });
      expect(completion.choices[0]!.message.content).toBe('Custom fallback');
    } finally {
      await custom.close();
    }
  });

  it('rejects invalid scripts with a TypeError that names them', async () => {
    expect(() => server.setScript('bad', [{ reply: { type: 'text' } }] as unknown as MockScript)).toThrow(TypeError);
    expect(() => server.setScript('bad', [{ reply: { type: 'text' } }] as unknown as MockScript)).toThrow(/conversation "bad"/);
    await expect(startMockServer({ scripts: { x: [{ reply: { type: 'nope' } }] as unknown as MockScript } })).rejects.toThrow(TypeError);
  });
});

describe('faults and attempts', () => {
  it('serves the faults of a turn attempt by attempt, then the reply', async () => {
    const options = scripted('attempts', [mock.text('finally', { faults: [{ type: 'http_error', status: 429, retryAfter: 7, message: 'Slow down' }] })]);

    const error = await client.chat.completions.create({ model: 'm', messages: USER }, options).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('7');
    expect((error as Error).message).toContain('Slow down');

    const completion = await client.chat.completions.create({ model: 'm', messages: USER }, options);
    expect(completion.choices[0]!.message.content).toBe('finally');
    expect(server.requestsFor('attempts').map(({ attempt, outcome, fault }) => ({ attempt, outcome, fault }))).toEqual([
      { attempt: 0, outcome: 'fault', fault: 'http_error' },
      { attempt: 1, outcome: 'replied', fault: undefined },
    ]);
  });

  it('lets the client retry through faults, honouring Retry-After', async () => {
    const options = scripted('retries', [
      mock.text('after retries', {
        faults: [
          { type: 'http_error', status: 429, retryAfter: 0 },
          { type: 'http_error', status: 503, retryAfter: 0 },
        ],
      }),
    ]);
    const retrying = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 2 });
    const completion = await retrying.chat.completions.create({ model: 'm', messages: USER }, options);

    expect(completion.choices[0]!.message.content).toBe('after retries');
    expect(server.requestsFor('retries').map((request) => request.attempt)).toEqual([0, 1, 2]);
  });

  it('answers 500 as an InternalServerError', async () => {
    const options = scripted('http-500', [mock.text('ok', { faults: [{ type: 'http_error', status: 500 }] })]);
    const error = await client.chat.completions.create({ model: 'm', messages: USER }, options).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).status).toBe(500);
  });

  it('hangs until the client aborts, and records the abort', async () => {
    const options = scripted('hang', [mock.text('never', { faults: [{ type: 'hang' }] })]);
    const controller = new AbortController();
    const pending = client.chat.completions.create({ model: 'm', messages: USER }, { ...options, signal: controller.signal });
    const [record] = await server.waitForRequests(1, { conversationId: 'hang' });

    expect(record).toMatchObject({ outcome: 'pending', fault: 'hang' });
    expect(server.stats().inFlight).toBe(1);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    await vi.waitFor(() => expect(record!.outcome).toBe('aborted'));
    await vi.waitFor(() => expect(server.stats().inFlight).toBe(0));
  });

  it('cuts a streaming reply midway, so the streaming client errors', async () => {
    const options = scripted('cut-stream', [mock.text('one two three four five six', { faults: [{ type: 'cut_stream' }] })]);
    const stream = await client.chat.completions.create({ model: 'm', messages: USER, stream: true }, options);

    await expect(collect(stream)).rejects.toThrow();
    expect(server.requestsFor('cut-stream')[0]).toMatchObject({ outcome: 'fault', fault: 'cut_stream', stream: true });
  });

  it('drops a non-streaming request at once on cut_stream', async () => {
    const options = scripted('cut-json', [mock.text('ok', { faults: [{ type: 'cut_stream' }] })]);

    await expect(client.chat.completions.create({ model: 'm', messages: USER }, options)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });
});

describe('request log', () => {
  it('records bodies, headers and the stream flag', async () => {
    const options = scripted('log', [mock.text('logged')]);
    await client.chat.completions.create({ model: 'gpt-log', messages: USER, temperature: 0.5 }, options);
    const [record] = server.requestsFor('log');

    expect(record).toMatchObject({ conversationId: 'log', turn: 0, attempt: 0, stream: false, outcome: 'replied' });
    expect(record!.body).toEqual({ model: 'gpt-log', messages: USER, temperature: 0.5 });
    expect(record!.headers['x-troupe-conversation-id']).toBe('log');
    expect(record!.headers.authorization).toBe('Bearer test');
    expect(server.stats()).toEqual({ requests: 1, inFlight: 0 });
  });

  it('waitForRequests resolves once enough matching requests arrived, and times out clearly', async () => {
    server.setScript('waited', [mock.text('w')]);
    const waiting = server.waitForRequests(2, { conversationId: 'waited' });
    await client.chat.completions.create({ model: 'm', messages: USER }, as('other'));
    await Promise.all([
      client.chat.completions.create({ model: 'm', messages: USER }, as('waited')),
      client.chat.completions.create({ model: 'm', messages: USER }, as('waited')),
    ]);

    const requests = await waiting;
    expect(requests.map((request) => request.conversationId)).toEqual(['waited', 'waited']);
    await expect(server.waitForRequests(3, { conversationId: 'waited', timeoutMs: 20 })).rejects.toThrow(/expected 3 request\(s\) for conversation "waited", received 2/);
  });

  it('answers 400 to a body that is not JSON and 404 to unknown routes, and lists the model', async () => {
    const origin = new URL(server.url).origin;
    const badBody = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', body: 'not json' });
    const unknown = await fetch(`${origin}/v1/embeddings`, { method: 'POST', body: '{}' });

    expect(badBody.status).toBe(400);
    expect(((await badBody.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: number } }).error.code).toBe(404);
    expect((await client.models.list()).data.map((model) => model.id)).toEqual(['mock-model']);
  });
});

describe('startMockServerProcess', () => {
  it('runs the mock in a child process driven through the admin endpoints', async () => {
    const child = await startMockServerProcess({ scripts: { p: [mock.text('from the child')] } });
    try {
      const childClient = new OpenAI({ baseURL: child.url, apiKey: 'test', maxRetries: 0 });
      const first = await childClient.chat.completions.create({ model: 'm', messages: USER }, as('p'));
      expect(first.choices[0]!.message.content).toBe('from the child');

      await child.setScript('q', [mock.toolCall('finish', { message: 'bye' })]);
      const second = await childClient.chat.completions.create({ model: 'm', messages: USER, stream: true }, as('q'));
      expect((await collect(second)).some((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.function?.name === 'finish')).toBe(true);

      const requests = await child.requests();
      expect(requests.map(({ conversationId, stream, outcome }) => ({ conversationId, stream, outcome }))).toEqual([
        { conversationId: 'p', stream: false, outcome: 'replied' },
        { conversationId: 'q', stream: true, outcome: 'replied' },
      ]);
      expect(requests[0]!.body.messages).toEqual(USER);

      const stats = await child.stats();
      expect(stats).toMatchObject({ requests: 2, inFlight: 0 });
      expect(stats.memoryUsage.rss).toBeGreaterThan(0);
      await expect(child.setDefaultScript([{ reply: { type: 'bogus' } }] as unknown as MockScript)).rejects.toThrow(TypeError);

      await child.reset();
      expect(await child.requests()).toEqual([]);
    } finally {
      await child.close();
    }
    expect(() => process.kill(child.pid, 0)).toThrow();
  });

  it('rejects with the child stderr when the child exits before printing its URL', async () => {
    await expect(startMockServerProcess({ defaultScript: [{ reply: { type: 'bogus' } }] as unknown as MockScript })).rejects.toThrow(
      /exited \(code 1\) before printing its URL[\s\S]*Invalid mock script/,
    );
  });
});
