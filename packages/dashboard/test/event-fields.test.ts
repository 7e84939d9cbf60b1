import { describe, expect, it } from 'vitest';
import { actionArguments, isLiveOnly, messageOf, observationOf, streamingDelta, thinkingOf } from '../src/events/event-fields';
import { applyStateUpdate } from '../src/store/conversation-stream';
import type { WireEvent } from '../src/wire';

const event = (fields: Record<string, unknown>): WireEvent => ({ kind: 'Unknown', ...fields }) as WireEvent;

describe('reading events in both shapes', () => {
  it("an action's arguments: Troupe's validated record, OpenHands' kinded action, or the raw tool call of either shape", () => {
    expect(actionArguments(event({ action: { command: 'ls' }, tool_call: { id: 'c', type: 'function', function: { name: 'terminal', arguments: '{"command":"ls"}' } } }))).toEqual({ kind: null, args: { command: 'ls' }, raw: null });
    expect(actionArguments(event({ action: { kind: 'TerminalAction', command: 'ls', is_input: false } }))).toEqual({ kind: 'TerminalAction', args: { command: 'ls', is_input: false }, raw: null });
    expect(actionArguments(event({ action: null, tool_call: { id: 'c', name: 'terminal', arguments: '{"command":"pwd"}', origin: 'completion' } }))).toEqual({ kind: null, args: { command: 'pwd' }, raw: null });
    expect(actionArguments(event({ action: null, tool_call: { id: 'c', type: 'function', function: { name: 'x', arguments: '{broken' } } }))).toEqual({ kind: null, args: null, raw: '{broken' });
    expect(actionArguments(event({}))).toEqual({ kind: null, args: null, raw: null });
  });

  it('thinking from reasoning_content, thinking blocks and a message’s own reasoning', () => {
    expect(thinkingOf(event({ reasoning_content: 'because', thinking_blocks: [{ type: 'thinking', thinking: 'deeper' }] }))).toBe('because\n\ndeeper');
    expect(thinkingOf(event({ llm_message: { role: 'assistant', content: [], reasoning_content: 'inner' } }))).toBe('inner');
    expect(thinkingOf(event({ thinking_blocks: 'not a list' }))).toBe('');
  });

  it('messages and observations: text, images as a note, error flag and the extra fields', () => {
    expect(messageOf(event({ source: 'user', llm_message: { role: 'user', content: [{ type: 'text', text: 'hi' }, { type: 'image', image_urls: ['a', 'b'] }] } }))).toEqual({ role: 'user', text: 'hi\n[2 image(s)]' });
    expect(messageOf(event({ source: 'agent' }))).toEqual({ role: 'agent', text: '' });
    expect(observationOf(event({ observation: { kind: 'TerminalObservation', content: [{ type: 'text', text: 'out' }], is_error: true, exit_code: 2 } }))).toEqual({ kind: 'TerminalObservation', text: 'out', isError: true, extra: { exit_code: 2 } });
  });

  it('live-only frames (deltas, the snapshot, server errors) are not counted as log events', () => {
    expect(isLiveOnly(event({ kind: 'ConversationStateUpdateEvent', key: 'full_state' }))).toBe(true);
    expect(isLiveOnly(event({ kind: 'ConversationStateUpdateEvent', key: 'execution_status' }))).toBe(false);
    expect(isLiveOnly(event({ kind: 'StreamingDeltaEvent', content: 'a' }))).toBe(true);
    expect(isLiveOnly(event({ kind: 'TokenEvent', content: 'a' }))).toBe(true);
    expect(isLiveOnly(event({ kind: 'TokenEvent', prompt_token_ids: [1], response_token_ids: [2] }))).toBe(false);
    expect(streamingDelta(event({ kind: 'StreamingDeltaEvent', content: 'a', reasoning_content: null }))).toEqual({ content: 'a', reasoning: '' });
    expect(streamingDelta(event({ kind: 'MessageEvent' }))).toBeNull();
  });

  it('state updates: the whole snapshot, or one field of it', () => {
    const info = applyStateUpdate(null, event({ kind: 'ConversationStateUpdateEvent', key: 'full_state', value: { id: 'c', execution_status: 'idle' } }));
    expect(info).toEqual({ id: 'c', execution_status: 'idle' });
    expect(applyStateUpdate(info, event({ kind: 'ConversationStateUpdateEvent', key: 'execution_status', value: 'running' }))).toEqual({ id: 'c', execution_status: 'running' });
    expect(applyStateUpdate(null, event({ kind: 'ConversationStateUpdateEvent', key: 'execution_status', value: 'running' }))).toBeNull();
  });
});
