import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConversationStatsSchema, defineTool, EventSchema, finishTool, thinkTool, toObservation, toToolDefinitionRecord, toWireAction } from '@troupe/core';
import { EVENT_SAMPLES } from './event-samples.js';
import { OhEvent, openHandsRejection } from './openhands-event-models.js';
import { OhConversationStats } from './openhands-state-models.js';

const json = (value: unknown) => JSON.stringify(value);
const sample = (name: string) => structuredClone(EVENT_SAMPLES[name]) as Record<string, any>;

describe('every event kind round-trips in OpenHands’ shape', () => {
  it('the samples cover every kind of core’s event union and every kind of the oracle’s but the client-side log event', () => {
    const kinds = new Set(Object.values(EVENT_SAMPLES).map((event) => (event as { kind: string }).kind));
    expect([...kinds].sort()).toEqual(EventSchema.options.map((option) => option.shape.kind.value).sort());
    expect(OhEvent.options.map((option) => option.shape.kind.value).filter((kind) => !kinds.has(kind))).toEqual(['LLMCompletionLogEvent']);
  });

  it.each(Object.keys(EVENT_SAMPLES))('%s: OpenHands’ client accepts it; core parses and serialises it to the same bytes', (name) => {
    const event = EVENT_SAMPLES[name];
    expect(openHandsRejection(event)).toBe('');
    expect(json(EventSchema.parse(event))).toBe(json(event));
    expect(OhEvent.parse(event)).toEqual(event);
  });

  it('a custom tool is an MCP tool: its definition, action and observation are what the client can parse', () => {
    const echo = defineTool({ name: 'echo', description: 'Echoes.', parameters: z.object({ text: z.string() }), readOnly: true, execute: ({ text }) => text });
    const tools = [echo, finishTool, thinkTool].map(toToolDefinitionRecord);
    expect(tools[0]).toMatchObject({ kind: 'MCPToolDefinition', mcp_tool: { name: 'echo', inputSchema: { properties: { text: { type: 'string' } } } }, title: 'echo' });
    const prompt = { ...sample('SystemPromptEvent'), tools };
    const action = { ...sample('ActionEvent[MCPToolAction]'), action: toWireAction(echo, { text: 'hi' }) };
    const observation = { ...sample('ObservationEvent[MCPToolObservation]'), observation: toObservation(echo, 'hi') };
    for (const event of [prompt, action, observation]) {
      expect(openHandsRejection(event)).toBe('');
      expect(json(EventSchema.parse(event))).toBe(json(event));
    }
    expect(action.action).toEqual({ kind: 'MCPToolAction', data: { text: 'hi' } });
    expect(observation.observation).toEqual({ kind: 'MCPToolObservation', content: [{ type: 'text', text: 'hi' }], is_error: false, tool_name: 'echo' });
  });
});

describe('what OpenHands’ client rejects, core rejects too', () => {
  const drifts: Array<[string, () => Record<string, any>]> = [
    ['a tool call in OpenAI’s shape', () => ({ ...sample('ActionEvent[TerminalAction]'), tool_call: { id: 'c', type: 'function', function: { name: 'terminal', arguments: '{}' } } })],
    ['a tool call without its origin', () => ({ ...sample('ActionEvent[TerminalAction]'), tool_call: { id: 'c', name: 'terminal', arguments: '{}' } })],
    ['an action without a kind', () => ({ ...sample('ActionEvent[TerminalAction]'), action: { command: 'ls' } })],
    ['an action of a kind the client does not know', () => ({ ...sample('ActionEvent[TerminalAction]'), action: { kind: 'EchoAction', text: 'hi' } })],
    ['security_risk inside the action', () => ({ ...sample('ActionEvent[TerminalAction]'), action: { kind: 'TerminalAction', command: 'ls', security_risk: 'LOW' } })],
    ['an observation field the tool’s observation lacks', () => ({ ...sample('ObservationEvent[TerminalObservation]'), observation: { ...sample('ObservationEvent[TerminalObservation]').observation, working_dir: '/w' } })],
    ['a terminal observation without its command', () => {
      const { command: _command, ...rest } = sample('ObservationEvent[TerminalObservation]').observation;
      return { ...sample('ObservationEvent[TerminalObservation]'), observation: rest };
    }],
    ['an observation without a kind', () => ({ ...sample('ObservationEvent[ThinkObservation]'), observation: { content: [], is_error: false } })],
    ['tools in OpenAI’s shape', () => ({ ...sample('SystemPromptEvent'), tools: [{ type: 'function', function: { name: 'x', description: 'x', parameters: {} } }] })],
    ['streamed text as a TokenEvent', () => ({ ...sample('StreamingDeltaEvent'), kind: 'TokenEvent' })],
    ['a pause with a reason', () => ({ ...sample('PauseEvent'), reason: 'why' })],
    ['a stuck pattern beside the code', () => ({ ...sample('ConversationErrorEvent'), stuck_pattern: 'monologue' })],
    ['an unknown key on a text part', () => ({ ...sample('MessageEvent[agent]'), extended_content: [{ type: 'text', text: 'x', extra: 1 }] })],
    ['an unknown event kind', () => ({ ...sample('PauseEvent'), kind: 'MadeUpEvent' })],
  ];

  it.each(drifts)('%s', (_name, make) => {
    const event = make();
    expect(openHandsRejection(event)).not.toBe('');
    expect(EventSchema.safeParse(event).success).toBe(false);
  });

  it('stats: cost times are epoch seconds, not ISO strings', () => {
    const stats = {
      usage_to_metrics: {
        agent: {
          model_name: 'm',
          accumulated_cost: 0.5,
          max_budget_per_task: null,
          accumulated_token_usage: { model: 'm', prompt_tokens: 1, completion_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 0, per_turn_token: 2, response_id: '' },
          costs: [{ model: 'm', cost: 0.5, timestamp: 1_764_583_200.25 }],
          response_latencies: [{ model: 'm', latency: 0.1, response_id: 'r' }],
          token_usages: [],
        },
      },
    };
    expect(OhConversationStats.safeParse(stats).success).toBe(true);
    expect(json(ConversationStatsSchema.parse(stats))).toBe(json(stats));
    const iso = structuredClone(stats);
    (iso.usage_to_metrics.agent.costs[0] as { timestamp: unknown }).timestamp = '2026-12-01T10:00:00.000Z';
    expect(OhConversationStats.safeParse(iso).success).toBe(false);
    expect(ConversationStatsSchema.safeParse(iso).success).toBe(false);
  });
});
