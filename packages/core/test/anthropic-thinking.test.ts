import { describe, expect, it } from 'vitest';
import { type ActionEvent, eventsToMessages, type MessageEvent, type StreamingDeltaEvent, toChatMessages } from '../src/index.js';
import { mock, mockRedactedThinkingData, mockThinkingSignature, type MockServer } from '../src/testing/index.js';
import { anthropicLLM, createConversation, echoTool, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

/** Extended thinking on the native Anthropic adapter: requested, kept in the events, sent back unchanged. */

describe('Anthropic extended thinking', () => {
  it.each([false, true])('keeps signed and redacted thinking in the events and sends it back unchanged on the next turns (stream: %s)', async (stream) => {
    const llm = anthropicLLM(server, { extendedThinkingBudget: 2048, stream });
    const c = createConversation(llm, [echoTool()]);
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: 'a' }, { reasoning: 'I should echo a first.', redactedThinking: ['hidden plan'] }),
      mock.toolCall('echo', { text: 'b' }, { reasoning: 'Now b, between tool calls.' }),
      mock.text('All done.', { reasoning: 'Both echoed.' }),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const requests = server.requestsFor(c.runtime.id);
    const actions = c.runtime.events.filter((event): event is ActionEvent => event.kind === 'ActionEvent');
    const final = c.runtime.events.findLast((event): event is MessageEvent => event.kind === 'MessageEvent' && event.source === 'agent')!;

    expect(requests.map((request) => request.anthropic!.request!.thinking)).toEqual([
      { type: 'enabled', budget_tokens: 2048 },
      { type: 'enabled', budget_tokens: 2048 },
      { type: 'enabled', budget_tokens: 2048 },
    ]);
    expect(requests[0]!.anthropic!.betas).toContain('interleaved-thinking-2025-05-14');
    expect(actions[0]).toMatchObject({
      reasoning_content: 'I should echo a first.',
      thinking_blocks: [
        { type: 'thinking', thinking: 'I should echo a first.', signature: mockThinkingSignature('I should echo a first.') },
        { type: 'redacted_thinking', data: mockRedactedThinkingData('hidden plan') },
      ],
    });
    expect(final.llm_message).toMatchObject({ reasoning_content: 'Both echoed.', thinking_blocks: [{ type: 'thinking', thinking: 'Both echoed.' }] });
    // Turn 2 sends turn 1's blocks back first in its assistant message; turn 3 sends both turns' blocks; all signatures hold.
    expect(requests[1]!.anthropic!.thinkingBlocks).toEqual([
      { messageIndex: 1, blockIndex: 0, type: 'thinking', valid: true },
      { messageIndex: 1, blockIndex: 1, type: 'redacted_thinking', valid: true },
    ]);
    expect(requests[2]!.anthropic!.thinkingBlocks.map(({ messageIndex, blockIndex, valid }) => [messageIndex, blockIndex, valid])).toEqual([
      [1, 0, true],
      [1, 1, true],
      [3, 0, true],
    ]);
    expect(requests.map((request) => request.outcome)).toEqual(['replied', 'replied', 'replied']);
    const thought = c.events.filter((event): event is StreamingDeltaEvent => event.kind === 'StreamingDeltaEvent').map((event) => event.reasoning_content ?? '');
    expect(thought.join('')).toBe(stream ? 'I should echo a first.Now b, between tool calls.Both echoed.' : '');
  });

  it('leaves thinking blocks out of OpenAI Chat requests, which have no field for them', async () => {
    const c = createConversation(anthropicLLM(server, { extendedThinkingBudget: 2048 }), [echoTool()]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'a' }, { reasoning: 'Think.' }), mock.text('ok')]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    const neutral = eventsToMessages(c.runtime.events);

    expect(neutral.find((message) => message.role === 'assistant')?.thinking_blocks).toHaveLength(1);
    expect(JSON.stringify(toChatMessages(neutral))).not.toMatch(/thinking|signature/);
  });
});
