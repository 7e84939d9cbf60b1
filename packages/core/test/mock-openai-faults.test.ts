import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockServer, type MockScript, type MockServer } from '../src/testing/index.js';

/** The script features added with the Anthropic route, on the OpenAI route. */

const USER: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hi' }];

let server: MockServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startMockServer();
  // logLevel off: the client logs the chunk it could not parse, which the malformed_json test provokes.
  client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
});

afterEach(() => server.reset());

afterAll(async () => {
  await server.close();
});

function scripted(conversationId: string, script: MockScript) {
  server.setScript(conversationId, script);
  return { headers: { 'x-troupe-conversation-id': conversationId } };
}

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream);
}

describe('OpenAI route', () => {
  it('sends the reasoning of a tool-call reply as reasoning_content, and no redacted thinking', async () => {
    const options = scripted('reasoning', [mock.toolCall('read_file', { path: 'a' }, { reasoning: 'Look first.', redactedThinking: ['secret'] })]);
    const completion = await client.chat.completions.create({ model: 'm', messages: USER }, options);
    const message = completion.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };

    expect(message.reasoning_content).toBe('Look first.');
    expect(JSON.stringify(completion)).not.toContain('secret');
  });

  it('ends a stream with an error chunk on stream_error, and answers the HTTP error without streaming', async () => {
    const script = [mock.text('one two three four', { faults: [{ type: 'stream_error', status: 529, message: 'Overloaded' }] })];
    const stream = await client.chat.completions.create({ model: 'm', messages: USER, stream: true }, scripted('stream-error', script));
    const streamed = await drain(stream).catch((caught: unknown) => caught);
    const plain = await client.chat.completions.create({ model: 'm', messages: USER }, scripted('plain-error', script)).catch((caught: unknown) => caught);

    expect(streamed).toBeInstanceOf(OpenAI.APIError);
    expect((streamed as Error).message).toContain('Overloaded');
    expect((plain as InstanceType<typeof OpenAI.APIError>).status).toBe(529);
    expect(server.requestsFor('stream-error')[0]).toMatchObject({ outcome: 'fault', fault: 'stream_error' });
  });

  it('sends JSON that does not parse on malformed_json, streaming or not', async () => {
    const script = [mock.text('one two three', { faults: [{ type: 'malformed_json' }] })];
    await expect(client.chat.completions.create({ model: 'm', messages: USER }, scripted('broken-json', script))).rejects.toThrow();
    const stream = await client.chat.completions.create({ model: 'm', messages: USER, stream: true }, scripted('broken-sse', script));
    await expect(drain(stream)).rejects.toThrow(SyntaxError);
  });

  it('logs a refused request as rejected, without using up an attempt', async () => {
    const options = scripted('refused', [mock.text('ok')]);
    const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: options.headers, body: '{"model":"m"}' });
    await client.chat.completions.create({ model: 'm', messages: USER }, options);

    expect(response.status).toBe(400);
    expect(server.requestsFor('refused').map(({ api, attempt, outcome, rejection }) => ({ api, attempt, outcome, rejection }))).toEqual([
      { api: 'openai', attempt: 0, outcome: 'rejected', rejection: { status: 400, message: 'The request body needs `messages`, an array of chat messages.' } },
      { api: 'openai', attempt: 0, outcome: 'replied', rejection: undefined },
    ]);
    expect(server.usage('refused').requests).toBe(1);
  });
});
