import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ActionEvent, type AnyThinkingBlock, createEvent, defineTool, eventsToMessages, type ReasoningItem, resolveModelResponse, type ToolDefinition } from '../src/index.js';
import { call, completion, observation } from './events-fixture.js';

const echo = defineTool({ name: 'echo', description: 'Echoes.', parameters: z.object({ text: z.string() }), execute: ({ text }) => text });
const tools = new Map<string, ToolDefinition>([[echo.name, echo]]);
const THINKING: AnyThinkingBlock[] = [
  { type: 'thinking', thinking: 'plan', signature: 'sig-1' },
  { type: 'redacted_thinking', data: 'opaque' },
];
const REASONING: ReasoningItem = { id: 'rs_1', summary: ['plan'], content: null, encrypted_content: 'enc', status: 'completed' };

/** Pure: thinking and reasoning items go from the reply into OpenHands' event fields and back into the history unchanged. */
describe('thinking in the history', () => {
  it('rides on the first action of a batch, and comes back on its assistant message', () => {
    const resolved = resolveModelResponse(
      completion({ reasoningContent: 'plan', thinkingBlocks: THINKING, responsesReasoningItem: REASONING, toolCalls: [call('c1', 'echo', { text: 'a' }), call('c2', 'echo', { text: 'b' })] }),
      tools,
    );
    const [first, second] = resolved.events;
    expect(first).toMatchObject({ kind: 'ActionEvent', reasoning_content: 'plan', thinking_blocks: THINKING, responses_reasoning_item: REASONING });
    expect(second).not.toHaveProperty('thinking_blocks');
    expect(second).not.toHaveProperty('responses_reasoning_item');

    const events = resolved.events.map((init) => createEvent(init) as ActionEvent);
    const results = events.map((action) => observation(action, 'ok'));
    const [assistant] = eventsToMessages([...events, ...results]);
    expect(assistant).toMatchObject({ role: 'assistant', reasoning_content: 'plan', thinking_blocks: THINKING, responses_reasoning_item: REASONING });
  });

  it('rides on the llm_message of a text reply', () => {
    const [message] = resolveModelResponse(completion({ content: 'Done.', thinkingBlocks: THINKING }), tools).events;
    expect(message).toMatchObject({ kind: 'MessageEvent', llm_message: { role: 'assistant', thinking_blocks: THINKING } });
    expect(eventsToMessages([createEvent(message!)])[0]!.thinking_blocks).toEqual(THINKING);
  });
});
