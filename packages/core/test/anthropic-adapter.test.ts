import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_OBSERVATION_HEADER, type Message, type ModelTool, textContent } from '../src/index.js';
import { mock, startMockServer, type MockServer } from '../src/testing/index.js';
import { anthropicLLM } from './helpers.js';

/** The native Anthropic adapter against the mock's Messages API: requests, replies, streaming, usage and cost. */

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ anthropic: { minCacheableTokens: 1 } });
});
afterAll(() => server.close());

const ECHO: ModelTool = { name: 'echo', description: 'Echoes text.', parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } };
const SYSTEM: Message = { role: 'system', content: [textContent('You are a careful agent.')] };
const user = (text: string): Message => ({ role: 'user', content: [textContent(text)] });
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('native Anthropic adapter', () => {
  it('sends a Messages API request and maps the JSON reply', async () => {
    server.setScript('a-json', [mock.text('Hello there.')]);
    const response = await anthropicLLM(server).complete({ messages: [SYSTEM, user('hi')], tools: [ECHO], conversationId: 'a-json' });
    const [record] = server.requestsFor('a-json');

    expect(response).toMatchObject({ content: 'Hello there.', toolCalls: [], finishReason: 'stop' });
    expect(response.id).toMatch(/^msg_/);
    expect(record).toMatchObject({ api: 'anthropic', path: '/v1/messages', outcome: 'replied' });
    expect(record!.anthropic).toMatchObject({ apiKey: 'test-key', version: expect.any(String) });
    expect(record!.anthropic!.request).toMatchObject({
      model: 'claude-sonnet-4-5',
      max_tokens: 64_000,
      system: [{ type: 'text', text: 'You are a careful agent.' }],
      tools: [{ name: 'echo', description: 'Echoes text.', input_schema: ECHO.parameters }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('streams text as token events and assembles tool_use input deltas into the tool call', async () => {
    server.setScript('a-stream', [mock.toolCall('echo', { text: 'streamed words' }, { text: 'Let me echo that for you.' })]);
    const tokens: string[] = [];
    const response = await anthropicLLM(server, { stream: true }).complete({
      messages: [user('echo')],
      tools: [ECHO],
      conversationId: 'a-stream',
      onToken: (delta) => tokens.push(delta.content ?? ''),
    });

    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe('Let me echo that for you.');
    expect(response.toolCalls).toEqual([{ id: 'toolu_0_0', name: 'echo', arguments: '{"text":"streamed words"}', origin: 'completion' }]);
    expect(response.finishReason).toBe('tool_calls');
    expect(server.requestsFor('a-stream')[0]!.stream).toBe(true);
  });

  it('sends tool calls, tool results (is_error for a failed action) and images in Anthropic blocks', async () => {
    server.setScript('a-history', [mock.text('first'), mock.text('Seen.')]);
    const history: Message[] = [
      { role: 'user', content: [textContent('Look at this'), { type: 'image', image_urls: [PNG, 'https://example.com/a.jpg'] }] },
      {
        role: 'assistant',
        content: [textContent('Running two.')],
        tool_calls: [
          { id: 'toolu_a', name: 'echo', arguments: '{"text":"a"}', origin: 'completion' },
          { id: 'call.b', name: 'echo', arguments: '{"text":"b"}', origin: 'completion' },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_a', name: 'echo', content: [textContent('echo: a'), { type: 'image', image_urls: [PNG] }] },
      { role: 'tool', tool_call_id: 'call.b', name: 'echo', content: [textContent(`${ERROR_OBSERVATION_HEADER}boom`)] },
      user('And now?'),
    ];
    await anthropicLLM(server, { cachingPrompt: false }).complete({ messages: history, tools: [ECHO], conversationId: 'a-history' });
    const { messages } = server.requestsFor('a-history')[0]!.anthropic!.request!;

    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look at this' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Running two.' },
          { type: 'tool_use', id: 'toolu_a', name: 'echo', input: { text: 'a' } },
          { type: 'tool_use', id: 'call_b', name: 'echo', input: { text: 'b' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_a', content: [{ type: 'text', text: 'echo: a' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
          { type: 'tool_result', tool_use_id: 'call_b', content: [{ type: 'text', text: `${ERROR_OBSERVATION_HEADER}boom` }], is_error: true },
          { type: 'text', text: 'And now?' },
        ],
      },
    ]);
  });

  it('passes sampling options, stop sequences, extra headers and body, and maps stop reasons', async () => {
    server.setScript('a-options', [mock.text('one STOP two')]);
    const llm = anthropicLLM(server, {
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      stop: ['STOP'],
      maxOutputTokens: 1000,
      extraHeaders: { 'x-team': 'core' },
      litellmExtraBody: { metadata: { user_id: 'u-1' } },
    });
    const stopped = await llm.complete({ messages: [user('count')], tools: [], conversationId: 'a-options' });
    const [record] = server.requestsFor('a-options');
    server.setScript('a-length', [mock.text('word '.repeat(50))]);
    const cut = await anthropicLLM(server, { maxOutputTokens: 5 }).complete({ messages: [user('talk')], tools: [], conversationId: 'a-length' });

    expect(record!.anthropic!.request).toMatchObject({ temperature: 0.2, top_p: 0.9, top_k: 40, stop_sequences: ['STOP'], max_tokens: 1000, metadata: { user_id: 'u-1' } });
    expect(record!.headers['x-team']).toBe('core');
    expect(stopped).toMatchObject({ content: 'one ', finishReason: 'stop' });
    expect(cut.finishReason).toBe('length');
  });

  it('records cache writes and reads per call and prices them (write 1.25x, read 0.1x of input)', async () => {
    // Its own key: the mock's cache is per key, so earlier tests' prefixes are not read here.
    const llm = anthropicLLM(server, { apiKey: 'cost-test-key' });
    const first = [SYSTEM, user('step one')];
    server.setScript('a-cost', [mock.toolCall('echo', { text: 'x' }), mock.text('done')]);
    const one = await llm.complete({ messages: first, tools: [ECHO], conversationId: 'a-cost' });
    const two = await llm.complete({
      messages: [...first, { role: 'assistant', content: [], tool_calls: one.toolCalls }, { role: 'tool', tool_call_id: one.toolCalls[0]!.id, content: [textContent('echo: x')] }],
      tools: [ECHO],
      conversationId: 'a-cost',
    });
    const [, second] = server.requestsFor('a-cost');

    expect(one.call.usage).toMatchObject({ cache_read_tokens: 0, cache_write_tokens: one.call.usage.prompt_tokens });
    expect(two.call.usage).toEqual({
      prompt_tokens: second!.anthropic!.promptTokens,
      completion_tokens: second!.usage!.outputTokens,
      cache_read_tokens: second!.usage!.cacheReadInputTokens,
      cache_write_tokens: second!.usage!.cacheCreationInputTokens,
      reasoning_tokens: 0,
    });
    expect(two.call.usage.cache_read_tokens).toBe(one.call.usage.prompt_tokens);
    const { inputTokens, cacheCreationInputTokens, cacheReadInputTokens, outputTokens } = second!.usage!;
    // claude-sonnet-4-5: $3 input, $3.75 cache write, $0.30 cache read, $15 output per million tokens.
    expect(two.call.cost).toBeCloseTo((inputTokens * 3 + cacheCreationInputTokens * 3.75 + cacheReadInputTokens * 0.3 + outputTokens * 15) / 1e6, 12);
    expect(llm.costOf({ prompt_tokens: 1e6, completion_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 1e6, reasoning_tokens: 0 })).toBeCloseTo(3.75);
  });
});
