import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContextLengthExceededError, LLMError } from '../src/index.js';
import { mock, type MockServer, ScriptedLLM, startMockServer } from '../src/testing/index.js';
import { mockLLM } from './helpers.js';

/**
 * The mock model decides context_length_exceeded by the size of the request (a turn's
 * `contextWindow`), on every attempt; `turnBy: 'replies'` picks turns by the replies served.
 */

let server: MockServer;
let repliesServer: MockServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startMockServer();
  repliesServer = await startMockServer({ turnBy: 'replies' });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  await repliesServer.close();
});

const headers = (conversationId: string) => ({ headers: { 'x-troupe-conversation-id': conversationId } });

describe('a turn with a context window', () => {
  it('answers a request within the window, and refuses a longer one with OpenAI\'s context_length_exceeded, whatever the attempt', async () => {
    server.setScript('window', [mock.text('fits', { contextWindow: 50 })]);
    const small = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'short' }] }, headers('window'));
    expect(small.choices[0]!.message.content).toBe('fits');

    const long = [{ role: 'user' as const, content: 'word '.repeat(200) }];
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await client.chat.completions.create({ model: 'm', messages: long }, headers('window')).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded');
      expect((error as Error).message).toContain('maximum context length is 50 tokens');
    }
    expect(server.requestsFor('window').map((request) => request.outcome)).toEqual(['replied', 'fault', 'fault', 'fault']);
  });

  it('becomes a ContextLengthExceededError of the LLM at once, never retried', async () => {
    server.setScript('llm-window', [mock.text('never', { contextWindow: 10 })]);
    const error = await mockLLM(server).complete({ messages: [{ role: 'user', content: [{ type: 'text', text: 'word '.repeat(100) }] }], tools: [], conversationId: 'llm-window' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContextLengthExceededError);
    expect(error).toBeInstanceOf(LLMError);
    expect((error as ContextLengthExceededError).details).toMatchObject({ status: 400, retryable: false, attempts: 1 });
    expect(server.requestsFor('llm-window')).toHaveLength(1);
  });

  it('the context_length_exceeded fault refuses one attempt, then the reply comes', async () => {
    server.setScript('fault', [mock.text('second time', { faults: [{ type: 'context_length_exceeded' }] })]);
    const first = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, headers('fault')).catch((caught: unknown) => caught);
    expect((first as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded');
    const second = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, headers('fault'));
    expect(second.choices[0]!.message.content).toBe('second time');
  });

  it('ScriptedLLM reads the same window', async () => {
    const llm = new ScriptedLLM([mock.text('ok', { contextWindow: 20 })]);
    await expect(llm.complete({ messages: [{ role: 'user', content: [{ type: 'text', text: 'word '.repeat(50) }] }], tools: [] })).rejects.toBeInstanceOf(ContextLengthExceededError);
    const reply = await llm.complete({ messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [] });
    expect(reply.content).toBe('ok');
  });
});

describe("turnBy: 'replies'", () => {
  it('gives the next turn for each reply, even when the request has fewer assistant messages; a fault does not advance it', async () => {
    const options = { headers: { 'x-troupe-conversation-id': 'replies' } };
    const replies = new OpenAI({ baseURL: repliesServer.url, apiKey: 'test', maxRetries: 0 });
    repliesServer.setScript('replies', [mock.text('one'), mock.text('two', { faults: [{ type: 'http_error', status: 500 }] }), mock.text('three')]);
    const user = [{ role: 'user' as const, content: 'again' }];
    const texts: (string | null)[] = [];
    texts.push((await replies.chat.completions.create({ model: 'm', messages: user }, options)).choices[0]!.message.content);
    await expect(replies.chat.completions.create({ model: 'm', messages: user }, options)).rejects.toThrow();
    texts.push((await replies.chat.completions.create({ model: 'm', messages: user }, options)).choices[0]!.message.content);
    texts.push((await replies.chat.completions.create({ model: 'm', messages: user }, options)).choices[0]!.message.content);
    expect(texts).toEqual(['one', 'two', 'three']);
    expect(repliesServer.requestsFor('replies').map((request) => request.turn)).toEqual([0, 1, 1, 2]);
  });
});
