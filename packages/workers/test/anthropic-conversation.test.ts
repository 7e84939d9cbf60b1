import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

/** A worker-thread conversation on `anthropic/claude-sonnet-4-5`: the native adapter runs in the actor. */
describe('a Conversation with anthropic/claude-sonnet-4-5', () => {
  it('caches, thinks and sends the signed thinking back from the worker, streaming thinking as tokens', async () => {
    const agent = mockAgent(server, [{ name: 'echo', module: testToolsModule }], {
      model: 'anthropic/claude-sonnet-4-5',
      baseUrl: server.anthropicUrl,
      extendedThinkingBudget: 2048,
      stream: true,
      fallbacks: [{ model: 'openai/gpt-4.1', baseUrl: server.url, apiKey: 'fallback-secret' }],
    });
    const conversation = supervisor.conversation({ agent, workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('echo', { text: 'hi' }, { reasoning: 'Echo it.' }), mock.finish('done', { reasoning: 'Finished.' })]);
    const thinking: string[] = [];
    conversation.on('delta', (event) => thinking.push(event.reasoning_content ?? ''));
    await conversation.sendMessage('say hi');
    expect(await conversation.run()).toBe('finished');
    const requests = server.requestsFor(conversation.id);
    const events = await conversation.getEvents();

    expect(requests.map((request) => [request.api, request.outcome])).toEqual([
      ['anthropic', 'replied'],
      ['anthropic', 'replied'],
    ]);
    expect(requests[0]!.anthropic!.cacheBreakpoints.length).toBeGreaterThanOrEqual(3);
    expect(requests[1]!.anthropic!.thinkingBlocks).toEqual([{ messageIndex: 1, blockIndex: 0, type: 'thinking', valid: true }]);
    expect(events.find((event) => event.kind === 'ActionEvent')).toMatchObject({ reasoning_content: 'Echo it.', thinking_blocks: [{ type: 'thinking', thinking: 'Echo it.' }] });
    expect(thinking.join('')).toBe('Echo it.Finished.');
    expect(conversation.stats.usage_to_metrics.agent!.accumulated_token_usage.cache_write_tokens).toBe(server.usage(conversation.id).cacheCreationInputTokens);
    expect(JSON.stringify(conversation.state.agent)).not.toMatch(/fallback-secret|test-key/);
    await conversation.close();
  });
});
