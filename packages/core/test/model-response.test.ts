import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_TOOLS, defineTool, NO_ACTION_NUDGE, resolveModelResponse, type ToolDefinition } from '../src/index.js';
import { call, completion } from './events-fixture.js';

const echo = defineTool({ name: 'echo', description: 'Echoes.', parameters: z.object({ text: z.string() }), execute: ({ text }) => text });
const tools = new Map<string, ToolDefinition>([[echo.name, echo], ...DEFAULT_TOOLS.map((tool) => [tool.name, tool] as const)]);
const response = completion;

describe('resolveModelResponse (pure)', () => {
  it('plain text ends the turn with an agent message; no ids or times are made', () => {
    const resolved = resolveModelResponse(response({ content: 'All done.', reasoningContent: 'because' }), tools);
    expect(resolved.outcome).toBe('finished');
    expect(resolved.events).toEqual([
      { kind: 'MessageEvent', source: 'agent', llm_message: { role: 'assistant', content: [{ type: 'text', text: 'All done.' }], reasoning_content: 'because' }, llm_response_id: 'resp-1', activated_skills: [], extended_content: [] },
    ]);
    expect(resolved.executable).toEqual([]);
  });

  it('an empty reply nudges the model', () => {
    const resolved = resolveModelResponse(response({ content: '  ' }), tools);
    expect(resolved.outcome).toBe('nudge');
    expect(resolved.events.at(-1)).toMatchObject({ source: 'environment', llm_message: { content: [{ text: NO_ACTION_NUDGE }] } });
  });

  it('tool calls become one batch of actions; the thought rides on the first; bad calls get errors and are not executable', () => {
    const resolved = resolveModelResponse(
      response({
        content: 'Let me try.',
        toolCalls: [call('c1', 'echo', { text: 'a', security_risk: 'low' }), call('c2', 'nope', {}), call('c3', 'echo', '{bad json'), call('c4', 'echo', { text: 1 })],
      }),
      tools,
    );
    expect(resolved.outcome).toBe('act');
    expect(resolved.events.map((event) => event.kind)).toEqual(['ActionEvent', 'ActionEvent', 'ActionEvent', 'ActionEvent', 'AgentErrorEvent', 'AgentErrorEvent', 'AgentErrorEvent']);
    expect(resolved.events[0]).toMatchObject({ thought: [{ text: 'Let me try.' }], action: { kind: 'MCPToolAction', data: { text: 'a' } }, security_risk: 'LOW' });
    expect(resolved.events[1]).toMatchObject({ thought: [], action: null, tool_name: 'nope' });
    expect(resolved.executable).toEqual([0]);
    expect(resolved.events.slice(4).map((event) => (event as { error: string }).error)).toEqual([
      expect.stringContaining("Tool 'nope' not found"),
      expect.stringContaining('unparseable JSON'),
      expect.stringContaining('text: Invalid input'),
    ]);
    expect(resolved.events.every((event) => !('id' in event) && !('timestamp' in event))).toBe(true);
  });

  it('calls after finish in the same response are not executed', () => {
    const resolved = resolveModelResponse(response({ toolCalls: [call('c1', 'finish', { message: 'done' }), call('c2', 'echo', { text: 'late' })] }), tools);
    expect(resolved.executable).toEqual([0]);
    expect(resolved.events.at(-1)).toMatchObject({ kind: 'AgentErrorEvent', tool_call_id: 'c2', error: expect.stringContaining('`finish` was called earlier') });
  });
});
