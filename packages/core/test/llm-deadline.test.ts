import { describe, expect, it } from 'vitest';
import { LLMError, textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

describe('LLM: replies that never complete or are not replies', () => {
  it.each([false, true])('a body that stalls after the headers fails at timeoutMs (stream: %s), and is retried', async (stream) => {
    const id = `llm-stall-${stream}`;
    server.setScript(id, [{ ...mock.text('second attempt'), faults: [{ type: 'stall_body' }] }]);
    const once = mockLLM(server, { stream, timeoutMs: 300, maxRetries: 0 });
    const error = await once.complete({ messages: hello, tools: [], conversationId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect((error as LLMError).message).toContain('no complete reply within timeoutMs (300 ms)');
    expect((error as LLMError).details).toMatchObject({ attempts: 1, retryable: true });

    server.setScript(`${id}-retried`, [{ ...mock.text('second attempt'), faults: [{ type: 'stall_body' }] }]);
    const retried = mockLLM(server, { stream, timeoutMs: 300, maxRetries: 1 });
    expect((await retried.complete({ messages: hello, tools: [], conversationId: `${id}-retried` })).content).toBe('second attempt');
  });

  it.each([
    ['an empty object', { type: 'foreign_body' as const }],
    ['an HTML page', { type: 'foreign_body' as const, body: '<html><body>502 Bad Gateway</body></html>', contentType: 'text/html' }],
  ])('%s instead of a completion is a clear, retried error', async (_name, fault) => {
    const id = `llm-foreign-${'body' in fault ? 'html' : 'empty'}`;
    server.setScript(id, [{ ...mock.text('never'), faults: [fault, fault] }]);
    const error = await mockLLM(server, { maxRetries: 1 }).complete({ messages: hello, tools: [], conversationId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect((error as LLMError).message).toMatch(/failed after 2 attempts: The provider's reply is not a chat completion/);
    expect(server.requestsFor(id)).toHaveLength(2);
  });
});
