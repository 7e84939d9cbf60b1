import { describe, expect, it } from 'vitest';
import { type ConversationErrorEvent, type FallbackNotice, LLM, LLMError, textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];
const overloaded = { type: 'http_error' as const, status: 529 };

/** Fallback models: tried in order once the model's retries are spent on a provider error. */
describe('fallback models', () => {
  it('goes on with the next model after the retries, says so, and records the call under the model that answered', async () => {
    const fallbacks = [
      { model: 'openai/gpt-4.1', baseUrl: server.url, apiKey: 'second-key' },
      { model: 'anthropic/claude-haiku-4-5', baseUrl: server.anthropicUrl, apiKey: 'third-key' },
    ];
    const llm = mockLLM(server, { model: 'openai/gpt-4o', maxRetries: 1, fallbacks });
    const c = createConversation(llm, [echoTool()]);
    // Every request of turn 0 over the OpenAI route fails: both gpt-4o attempts, then both gpt-4.1 ones; Claude answers.
    server.setScript(c.runtime.id, [{ ...mock.toolCall('echo', { text: 'a' }), faults: [overloaded, overloaded, overloaded, overloaded] }, mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const requests = server.requestsFor(c.runtime.id);
    const switches = c.runtime.events.filter((event): event is ConversationErrorEvent => event.kind === 'ConversationErrorEvent');

    expect(requests.map((request) => [request.api, request.body.model, request.outcome])).toEqual([
      ['openai', 'gpt-4o', 'fault'],
      ['openai', 'gpt-4o', 'fault'],
      ['openai', 'gpt-4.1', 'fault'],
      ['openai', 'gpt-4.1', 'fault'],
      ['anthropic', 'claude-haiku-4-5', 'replied'],
      // The next call starts again with the model itself.
      ['openai', 'gpt-4o', 'replied'],
    ]);
    expect(requests[2]!.headers.authorization).toBe('Bearer second-key');
    expect(requests[4]!.anthropic!.apiKey).toBe('third-key');
    expect(switches.map((event) => [event.code, event.detail.split(';')[0]])).toEqual([
      ['ModelFallback', expect.stringContaining('openai/gpt-4o failed after its retries')],
      ['ModelFallback', expect.stringContaining('openai/gpt-4.1 failed after its retries')],
    ]);
    expect(switches[1]!.detail).toContain('its fallback anthropic/claude-haiku-4-5');
    expect(c.runtime.stats.usage_to_metrics.agent!.response_latencies.map((entry) => entry.model)).toEqual(['anthropic/claude-haiku-4-5', 'openai/gpt-4o']);
    expect(JSON.stringify(llm)).not.toMatch(/second-key|third-key/);
  });

  it('does not fall back on an error of the request itself', async () => {
    const notices: FallbackNotice[] = [];
    server.setScript('fallback-400', [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 400 }] }]);
    const llm = mockLLM(server, { fallbacks: [{ model: 'openai/gpt-4.1', baseUrl: server.url, apiKey: 'k' }] });
    const error = await llm.complete({ messages: hello, tools: [], conversationId: 'fallback-400', onFallback: (notice) => notices.push(notice) }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LLMError);
    expect(notices).toEqual([]);
    expect(server.requestsFor('fallback-400')).toHaveLength(1);
  });

  it('throws the last model\'s error when every fallback fails too', async () => {
    server.setScript('fallback-all', [{ ...mock.text('never'), faults: [overloaded, overloaded] }]);
    const llm = new LLM({ model: 'openai/mock-a', baseUrl: server.url, apiKey: 'k', maxRetries: 0, fallbacks: [{ model: 'openai/mock-b', baseUrl: server.url, apiKey: 'k' }] });
    const error = await llm.complete({ messages: hello, tools: [], conversationId: 'fallback-all' }).catch((e: unknown) => e);

    expect((error as Error).message).toContain('The model call to openai/mock-b failed after 1 attempts');
  });
});
