import { describe, expect, it } from 'vitest';
import { ConfigError, LLM, LLMAbortedError, LLMError, LLMRateLimitError, type RetryNotice, routeModel, totalCost, totalTokenUsage } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];

describe('LLM', () => {
  it('routes provider/model names and rejects unknown providers without a base URL', () => {
    expect(routeModel('openai/gpt-4o')).toMatchObject({ model: 'gpt-4o', baseUrl: 'https://api.openai.com/v1' });
    expect(routeModel('anthropic/claude-sonnet-4-5')).toMatchObject({ model: 'claude-sonnet-4-5', baseUrl: 'https://api.anthropic.com/v1/' });
    expect(routeModel('openrouter/meta/llama-3')).toMatchObject({ model: 'meta/llama-3', baseUrl: 'https://openrouter.ai/api/v1' });
    expect(routeModel('ollama/qwen3')).toMatchObject({ model: 'qwen3', needsKey: false });
    // As LiteLLM does: the proxy gets the name after `litellm_proxy/` (it was sent whole before).
    expect(routeModel('litellm_proxy/claude', 'http://proxy/v1')).toMatchObject({ model: 'claude', baseUrl: 'http://proxy/v1' });
    expect(() => routeModel('mystery/model')).toThrow(ConfigError);
  });

  it('says how to fix a missing API key', async () => {
    const previous = process.env.LLM_API_KEY;
    delete process.env.LLM_API_KEY;
    try {
      const llm = new LLM({ model: 'openai/gpt-4o' });
      await expect(llm.complete({ messages: hello, tools: [] })).rejects.toThrow('LLM_API_KEY is not set; set it or pass apiKey');
    } finally {
      if (previous !== undefined) process.env.LLM_API_KEY = previous;
    }
  });

  it('does not expose the API key when serialised', () => {
    const llm = new LLM({ model: 'openai/gpt-4o', apiKey: 'sk-very-secret' });
    expect(JSON.stringify(llm)).not.toContain('sk-very-secret');
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    const id = 'llm-retry-after';
    server.setScript(id, [{ ...mock.text('ok'), faults: [{ type: 'http_error', status: 429, retryAfter: 0.3 }] }]);
    const llm = mockLLM(server, { retryMinDelayMs: 1, retryMaxDelayMs: 1000 });
    const delays: number[] = [];
    const response = await llm.complete({ messages: hello, tools: [], conversationId: id, onRetry: ({ delayMs }) => delays.push(delayMs) });
    expect(response.content).toBe('ok');
    expect(delays).toEqual([300]);
    expect(server.requestsFor(id).map((r) => r.outcome)).toEqual(['fault', 'replied']);
  });

  it('caps a Retry-After longer than retryMaxDelayMs, and says it did', async () => {
    const id = 'llm-retry-after-capped';
    server.setScript(id, [{ ...mock.text('ok'), faults: [{ type: 'http_error', status: 429, retryAfter: 3600 }] }]);
    const llm = mockLLM(server, { retryMinDelayMs: 1, retryMaxDelayMs: 50 });
    const notices: RetryNotice[] = [];
    const response = await llm.complete({ messages: hello, tools: [], conversationId: id, onRetry: (notice) => notices.push(notice) });
    expect(response.content).toBe('ok');
    expect(notices.map(({ delayMs, retryAfterCappedFromMs }) => ({ delayMs, retryAfterCappedFromMs }))).toEqual([{ delayMs: 50, retryAfterCappedFromMs: 3_600_000 }]);
  });

  it('gives up on persistent 429 with a typed error after maxRetries', async () => {
    const id = 'llm-give-up';
    const fault = { type: 'http_error' as const, status: 429 };
    server.setScript(id, [{ ...mock.text('never'), faults: [fault, fault, fault] }]);
    const llm = mockLLM(server, { maxRetries: 2 });
    const error = await llm.complete({ messages: hello, tools: [], conversationId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMRateLimitError);
    expect((error as LLMRateLimitError).details).toMatchObject({ attempts: 3, status: 429 });
  });

  it('does not retry a 400', async () => {
    const id = 'llm-400';
    server.setScript(id, [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 400 }] }]);
    const error = await mockLLM(server).complete({ messages: hello, tools: [], conversationId: id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LLMError);
    expect(server.requestsFor(id)).toHaveLength(1);
  });

  it('retries a stream cut mid-way', async () => {
    const id = 'llm-cut';
    server.setScript(id, [{ ...mock.text('whole reply'), faults: [{ type: 'cut_stream' }] }]);
    const response = await mockLLM(server, { stream: true }).complete({ messages: hello, tools: [], conversationId: id });
    expect(response.content).toBe('whole reply');
  });

  it('aborts on an AbortSignal with a typed error; the server sees the disconnect', async () => {
    const id = 'llm-abort';
    server.setScript(id, [{ ...mock.text('never'), faults: [{ type: 'hang' }] }]);
    const controller = new AbortController();
    const pending = mockLLM(server).complete({ messages: hello, tools: [], conversationId: id, signal: controller.signal });
    await server.waitForRequests(1, { conversationId: id });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(LLMAbortedError);
    await expect.poll(() => server.requestsFor(id)[0]?.outcome).toBe('aborted');
  });

  it('streams tokens and assembles tool calls', async () => {
    const id = 'llm-stream';
    server.setScript(id, [mock.toolCall('echo', { text: 'streamed' }, { text: 'Let me echo that for you.' })]);
    const tokens: string[] = [];
    const response = await mockLLM(server, { stream: true }).complete({
      messages: hello,
      tools: [],
      conversationId: id,
      onToken: (delta) => tokens.push(delta.content ?? ''),
    });
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe('Let me echo that for you.');
    expect(response.toolCalls).toEqual([{ id: expect.any(String), name: 'echo', arguments: '{"text":"streamed"}', origin: 'completion' }]);
    expect(response.call.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('prices known models and honours per-token overrides', () => {
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
    expect(new LLM({ model: 'anthropic/claude-sonnet-4-20250514', apiKey: 'k' }).costOf(usage)).toBeCloseTo(18);
    expect(new LLM({ model: 'openai/gpt-4o', apiKey: 'k' }).costOf({ ...usage, cache_read_tokens: 500_000 })).toBeCloseTo(0.5 * 2.5 + 0.5 * 1.25 + 10);
    expect(new LLM({ model: 'openai/gpt-4o', apiKey: 'k', inputCostPerToken: 1e-6, outputCostPerToken: 2e-6 }).costOf(usage)).toBeCloseTo(3);
    expect(new LLM({ model: 'x/unknown', baseUrl: 'http://localhost:1/v1' }).costOf(usage)).toBe(0);
  });
});

describe('metrics', () => {
  it('cost and tokens of a conversation add up over its calls, per usage id', async () => {
    const llm = mockLLM(server, { usageId: 'main', inputCostPerToken: 0.001, outputCostPerToken: 0.01 });
    const c = createConversation(llm, [echoTool()]);
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: 'a' }, { usage: { prompt_tokens: 100, completion_tokens: 10, cached_tokens: 40 } }),
      mock.finish('done', { usage: { prompt_tokens: 200, completion_tokens: 20 } }),
    ]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    const metrics = c.runtime.stats.usage_to_metrics.main!;
    expect(metrics.accumulated_token_usage).toMatchObject({ prompt_tokens: 300, completion_tokens: 30, cache_read_tokens: 40 });
    expect(metrics.token_usages).toHaveLength(2);
    expect(metrics.response_latencies).toHaveLength(2);
    expect(metrics.accumulated_cost).toBeCloseTo(0.001 * 300 + 0.01 * 30);
    expect(totalCost(c.runtime.stats)).toBeCloseTo(metrics.accumulated_cost);
    expect(totalTokenUsage(c.runtime.stats).prompt_tokens).toBe(300);
  });
});
