import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockServer, type MockServer } from '../src/testing/index.js';
import { anthropicLLM, createConversation, echoTool } from './helpers.js';

/** Prompt caching of the native Anthropic adapter, judged by the mock's cache accounting. */

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ anthropic: { minCacheableTokens: 1 } });
});
afterAll(() => server.close());

const steps = () => [mock.toolCall('echo', { text: 'one' }), mock.toolCall('echo', { text: 'two' }), mock.finish('done')];

describe('Anthropic prompt caching', () => {
  it('puts breakpoints on the last tool, the system prompt and the last two user turns; each step reads the one before', async () => {
    const c = createConversation(anthropicLLM(server, { apiKey: 'cache-on' }), [echoTool()]);
    server.setScript(c.runtime.id, steps());
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const requests = server.requestsFor(c.runtime.id);
    const where = (index: number) => requests[index]!.anthropic!.cacheBreakpoints.map(({ location, index: at, blockIndex }) => [location, at, blockIndex ?? null]);
    const toolCount = requests[0]!.anthropic!.request!.tools!.length;

    expect(requests.map((request) => request.outcome)).toEqual(['replied', 'replied', 'replied']);
    // Messages: user, assistant, tool results, assistant, tool results.
    expect(where(0)).toEqual([['tools', toolCount - 1, null], ['system', 0, null], ['messages', 0, 0]]);
    expect(where(1)).toEqual([['tools', toolCount - 1, null], ['system', 0, null], ['messages', 0, 0], ['messages', 2, 0]]);
    expect(where(2)).toEqual([['tools', toolCount - 1, null], ['system', 0, null], ['messages', 2, 0], ['messages', 4, 0]]);
    // Step 2 reads step 1's whole prompt back; step 3 reads step 2's.
    expect(requests[1]!.anthropic!.cacheReadUpTo).toEqual({ location: 'messages', index: 0, blockIndex: 0 });
    expect(requests[2]!.anthropic!.cacheReadUpTo).toEqual({ location: 'messages', index: 2, blockIndex: 0 });
    expect(requests[2]!.usage!.cacheReadInputTokens).toBe(requests[1]!.anthropic!.promptTokens);
    const usage = c.runtime.stats.usage_to_metrics.agent!.accumulated_token_usage;
    const totals = server.usage(c.runtime.id);
    expect(usage).toMatchObject({ cache_read_tokens: totals.cacheReadInputTokens, cache_write_tokens: totals.cacheCreationInputTokens, prompt_tokens: totals.promptTokens });
  });

  it('sends no breakpoints with cachingPrompt: false, so every step pays full price', async () => {
    const c = createConversation(anthropicLLM(server, { apiKey: 'cache-off', cachingPrompt: false }), [echoTool()]);
    server.setScript(c.runtime.id, steps());
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const totals = server.usage(c.runtime.id);

    expect(server.requestsFor(c.runtime.id).flatMap((request) => request.anthropic!.cacheBreakpoints)).toEqual([]);
    expect(totals).toMatchObject({ requests: 3, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(totals.inputTokens).toBe(totals.promptTokens);
  });
});
