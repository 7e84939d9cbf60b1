import { describe, expect, it } from 'vitest';
import { ContextLengthExceededError, type LLMOptions, reviveError, serializeError, textContent } from '../src/index.js';
import { mock, ScriptedLLM, type MockServer } from '../src/testing/index.js';
import { mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

/** A prompt over the context window is a typed ContextLengthExceededError from every adapter, never retried nor a reason to fall back. */
describe('context length exceeded', () => {
  it.each<[string, Partial<LLMOptions>, RegExp]>([
    ['OpenAI Chat', { model: 'openai/gpt-4o', stream: true }, /maximum context length is 128000 tokens/],
    ['OpenAI Responses', { model: 'openai/gpt-5', apiMode: 'responses' }, /maximum context length/],
    ['Anthropic Messages', { model: 'anthropic/claude-sonnet-4-5' }, /prompt is too long: \d+ tokens > 200000 maximum/],
  ])('%s: typed, not retried, no fallback', async (name, options, message) => {
    const id = `context-${name}`;
    server.setScript(id, [mock.text('never', { faults: [{ type: 'context_length_exceeded' }, { type: 'context_length_exceeded' }] })]);
    const fallbacks = [{ model: 'openai/gpt-4.1', baseUrl: server.url, apiKey: 'k' }];
    const llm = mockLLM(server, { ...options, ...(options.model!.startsWith('anthropic/') ? { baseUrl: server.anthropicUrl } : {}), fallbacks });
    const error = await llm.complete({ messages: hello, tools: [], conversationId: id }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ContextLengthExceededError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain('Condense the history');
    expect((error as ContextLengthExceededError).details).toMatchObject({ attempts: 1, retryable: false, status: 400 });
    expect(server.requestsFor(id)).toHaveLength(1);
    expect(reviveError(serializeError(error))).toBeInstanceOf(ContextLengthExceededError);
  });

  it('is what the scripted model throws for the fault too', async () => {
    const llm = new ScriptedLLM([mock.text('never', { faults: [{ type: 'context_length_exceeded' }] })]);
    await expect(llm.complete({ messages: hello, tools: [] })).rejects.toBeInstanceOf(ContextLengthExceededError);
  });
});
