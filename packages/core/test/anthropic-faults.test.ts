import { describe, expect, it } from 'vitest';
import { ConfigError, LLMError, type RetryNotice, textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { anthropicLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

/** The native Anthropic adapter retries what the Messages API says may pass, and nothing else. */
describe('Anthropic faults', () => {
  it('retries a 429 after its retry-after, and a 529 overloaded', async () => {
    server.setScript('f-429', [mock.text('ok', { faults: [{ type: 'http_error', status: 429, retryAfter: 0.25 }, { type: 'http_error', status: 529 }] })]);
    const notices: RetryNotice[] = [];
    const response = await anthropicLLM(server, { retryMaxDelayMs: 1000 }).complete({ messages: hello, tools: [], conversationId: 'f-429', onRetry: (notice) => notices.push(notice) });

    expect(response.content).toBe('ok');
    expect(notices[0]!.delayMs).toBe(250);
    expect(notices.map((notice) => (notice.error as { status?: number }).status)).toEqual([429, 529]);
    expect(server.requestsFor('f-429').map((request) => request.outcome)).toEqual(['fault', 'fault', 'replied']);
  });

  it.each([
    ['an overloaded error event mid-stream', { type: 'stream_error' as const }],
    ['a stream cut mid-way', { type: 'cut_stream' as const }],
    ['an event that is not JSON', { type: 'malformed_json' as const }],
  ])('retries %s', async (_name, fault) => {
    const id = `f-stream-${fault.type}`;
    server.setScript(id, [mock.text('the whole reply', { faults: [fault] })]);
    const response = await anthropicLLM(server, { stream: true }).complete({ messages: hello, tools: [], conversationId: id });

    expect(response.content).toBe('the whole reply');
    expect(server.requestsFor(id).map((request) => request.outcome)).toEqual(['fault', 'replied']);
  });

  it('retries a 200 whose body is not a message, then says so', async () => {
    server.setScript('f-foreign', [mock.text('never', { faults: [{ type: 'foreign_body' }, { type: 'foreign_body' }] })]);
    const error = await anthropicLLM(server, { maxRetries: 1 }).complete({ messages: hello, tools: [], conversationId: 'f-foreign' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LLMError);
    expect((error as Error).message).toMatch(/after 2 attempts: The provider's reply is not a Messages API message/);
  });

  it('does not retry a 400, and says which key variable is missing', async () => {
    server.setScript('f-400', [mock.text('never', { faults: [{ type: 'http_error', status: 400 }] })]);
    const error = await anthropicLLM(server).complete({ messages: hello, tools: [], conversationId: 'f-400' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ details: { attempts: 1, retryable: false, status: 400 } });

    const previous = { llm: process.env.LLM_API_KEY, anthropic: process.env.ANTHROPIC_API_KEY };
    delete process.env.LLM_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const keyless = anthropicLLM(server, { apiKey: undefined });
      await expect(keyless.complete({ messages: hello, tools: [] })).rejects.toThrow(ConfigError);
      await expect(keyless.complete({ messages: hello, tools: [] })).rejects.toThrow('anthropic also reads ANTHROPIC_API_KEY');
    } finally {
      if (previous.llm !== undefined) process.env.LLM_API_KEY = previous.llm;
      if (previous.anthropic !== undefined) process.env.ANTHROPIC_API_KEY = previous.anthropic;
    }
  });
});
