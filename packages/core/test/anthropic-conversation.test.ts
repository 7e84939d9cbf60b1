import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigSchema, EventSchema, openPersistedRuntime, totalCost } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { anthropicLLM, echoTool, tempDir, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const agent = AgentConfigSchema.parse({ llm: { model: 'anthropic/claude-sonnet-4-5' }, tools: [{ name: 'echo' }] });

/**
 * A whole conversation with `anthropic/claude-sonnet-4-5` on the mock's Messages endpoint: every
 * request has cache breakpoints and thinking, signed thinking goes back on the next turn, also
 * after the conversation was stored and reopened.
 */
describe('a conversation with anthropic/claude-sonnet-4-5', () => {
  it('caches, thinks, sends its signed thinking back (also after a reopen), and prices what it used', async () => {
    const dir = tempDir();
    const id = 'claude-conversation';
    server.setScript(id, [
      mock.toolCall('echo', { text: 'one' }, { text: 'First the echo.', reasoning: 'Echo one, then pause.' }),
      mock.toolCall('echo', { text: 'two' }, { reasoning: 'Now two.' }),
      mock.finish('Echoed both.', { reasoning: 'That was all.' }),
    ]);
    const open = () =>
      openPersistedRuntime({ id, conversationDir: join(dir, id), agent, llm: anthropicLLM(server, { extendedThinkingBudget: 4096 }), tools: [echoTool()], workspace: dir });
    const { runtime: first } = await open();
    await first.sendMessage('Echo one and two.');
    const run = first.run();
    // Pause after the first step, reopen from disk, go on.
    await server.waitForRequests(1, { conversationId: id });
    await first.pause();
    await run;
    await first.close();
    const { runtime, resumed } = await open();
    expect(resumed).toBe(true);
    expect(await runtime.run()).toBe('finished');
    const requests = server.requestsFor(id);

    expect(requests.map((request) => request.outcome)).toEqual(['replied', 'replied', 'replied']);
    for (const request of requests) {
      expect(request.anthropic!.request).toMatchObject({ model: 'claude-sonnet-4-5', thinking: { type: 'enabled', budget_tokens: 4096 } });
      expect(request.anthropic!.cacheBreakpoints.length).toBeGreaterThanOrEqual(3);
    }
    expect(requests[1]!.anthropic!.thinkingBlocks).toEqual([{ messageIndex: 1, blockIndex: 0, type: 'thinking', valid: true }]);
    expect(requests[2]!.anthropic!.thinkingBlocks.every((block) => block.valid)).toBe(true);
    expect(requests[2]!.anthropic!.thinkingBlocks).toHaveLength(2);
    for (const event of runtime.events) expect(EventSchema.safeParse(event).success).toBe(true);
    const usage = server.usage(id);
    const expectedCost = (usage.inputTokens * 3 + usage.cacheCreationInputTokens * 3.75 + usage.cacheReadInputTokens * 0.3 + usage.outputTokens * 15) / 1e6;
    expect(totalCost(runtime.stats)).toBeCloseTo(expectedCost, 12);
    await runtime.close();
  });
});
