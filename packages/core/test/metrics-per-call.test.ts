import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigSchema, openPersistedRuntime, readStateFile } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, tempDir, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

describe('stats: one entry per model call', () => {
  it('N calls make N latencies and N token usages with the call’s tokens, response id and the model’s context window; costs only when priced', async () => {
    const conversationDir = join(tempDir(), 'per-call');
    const llm = mockLLM(server, { model: 'openai/gpt-4o', inputCostPerToken: 0.001, outputCostPerToken: 0.002 });
    const agent = AgentConfigSchema.parse({ llm: { model: 'openai/gpt-4o' }, tools: [{ name: 'echo' }] });
    const { runtime } = await openPersistedRuntime({ id: 'per-call', conversationDir, agent, llm, tools: [echoTool()], workspace: tempDir() });
    server.setScript(runtime.id, [
      mock.toolCall('echo', { text: 'a' }, { usage: { prompt_tokens: 100, completion_tokens: 10, cached_tokens: 40 }, latencyMs: 30 }),
      mock.toolCall('echo', { text: 'b' }, { usage: { prompt_tokens: 150, completion_tokens: 15 }, latencyMs: 30 }),
      mock.finish('done', { usage: { prompt_tokens: 200, completion_tokens: 20 }, latencyMs: 30 }),
    ]);
    await runtime.sendMessage('go');
    expect(await runtime.run()).toBe('finished');

    const responseIds = [...new Set(runtime.events.flatMap((event) => ('llm_response_id' in event && event.llm_response_id ? [event.llm_response_id] : [])))];
    expect(responseIds).toHaveLength(3);
    const metrics = runtime.snapshot().stats.usage_to_metrics[llm.usageId]!;
    expect(metrics.max_budget_per_task).toBeNull();
    expect(metrics.token_usages).toEqual([
      { model: 'openai/gpt-4o', prompt_tokens: 100, completion_tokens: 10, cache_read_tokens: 40, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 128_000, per_turn_token: 110, response_id: responseIds[0] },
      { model: 'openai/gpt-4o', prompt_tokens: 150, completion_tokens: 15, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 128_000, per_turn_token: 165, response_id: responseIds[1] },
      { model: 'openai/gpt-4o', prompt_tokens: 200, completion_tokens: 20, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 128_000, per_turn_token: 220, response_id: responseIds[2] },
    ]);
    expect(metrics.response_latencies.map(({ model, response_id }) => ({ model, response_id }))).toEqual(responseIds.map((id) => ({ model: 'openai/gpt-4o', response_id: id })));
    // Seconds, not milliseconds: each reply was held back 30 ms by the mock.
    for (const { latency } of metrics.response_latencies) expect(latency).toBeGreaterThanOrEqual(0.03);
    for (const { latency } of metrics.response_latencies) expect(latency).toBeLessThan(30);
    expect(metrics.costs.map((entry) => entry.model)).toEqual(['openai/gpt-4o', 'openai/gpt-4o', 'openai/gpt-4o']);
    expect(metrics.costs[2]!.cost).toBeCloseTo(0.001 * 200 + 0.002 * 20, 12);
    expect(metrics.costs.reduce((sum, entry) => sum + entry.cost, 0)).toBeCloseTo(metrics.accumulated_cost, 12);
    for (const entry of metrics.costs) expect(entry.timestamp).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(metrics.accumulated_token_usage).toEqual({
      model: 'openai/gpt-4o', prompt_tokens: 450, completion_tokens: 45, cache_read_tokens: 40, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 128_000, per_turn_token: 220, response_id: '',
    });

    // The lists are kept in state.json and read back as they were.
    await runtime.close();
    const stored = await readStateFile(conversationDir);
    expect(stored!.stats).toEqual(runtime.snapshot().stats);
  });

  it('a call that reports no tokens has a latency but no token usage (OpenHands’ rule); an unknown model’s context window is 0', async () => {
    const llm = mockLLM(server);
    const c = createConversation(llm, [echoTool()]);
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: 'a' }, { usage: { prompt_tokens: 0, completion_tokens: 0 } }),
      mock.finish('done', { usage: { prompt_tokens: 12, completion_tokens: 3 } }),
    ]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    const metrics = c.runtime.snapshot().stats.usage_to_metrics[llm.usageId]!;
    expect(metrics.response_latencies).toHaveLength(2);
    expect(metrics.token_usages).toHaveLength(1);
    expect(metrics.token_usages[0]).toMatchObject({ prompt_tokens: 12, completion_tokens: 3, context_window: 0, per_turn_token: 15 });
    expect(metrics.token_usages[0]!.response_id).toBe(metrics.response_latencies[1]!.response_id);
    expect(metrics.costs).toEqual([]);
    await c.runtime.close();
  });
});
