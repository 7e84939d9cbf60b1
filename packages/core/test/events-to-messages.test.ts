import { describe, expect, it } from 'vitest';
import { createEvent, type Event, eventsToMessages, textContent, toChatMessages } from '../src/index.js';

const action = (callId: string, responseId: string, thought = '') =>
  createEvent({
    kind: 'ActionEvent',
    source: 'agent',
    thought: thought ? [textContent(thought)] : [],
    action: { kind: 'MCPToolAction', data: { text: callId } },
    tool_name: 'echo',
    tool_call_id: callId,
    tool_call: { id: callId, name: 'echo', arguments: `{"text":"${callId}"}`, origin: 'completion' },
    llm_response_id: responseId,
    security_risk: 'UNKNOWN',
  });
const observation = (callId: string, actionId: string, text: string, isError = false) =>
  createEvent({
    kind: 'ObservationEvent',
    source: 'environment',
    observation: { kind: 'MCPToolObservation', content: [textContent(text)], is_error: isError, tool_name: 'echo' },
    action_id: actionId,
    tool_name: 'echo',
    tool_call_id: callId,
  });
const user = (text: string) =>
  createEvent({ kind: 'MessageEvent', source: 'user', llm_message: { role: 'user', content: [textContent(text)] }, activated_skills: [], extended_content: [] });

describe('eventsToMessages', () => {
  it('groups parallel tool calls of one response into one assistant message, results in order', () => {
    const a = action('c1', 'r1', 'I will run two things');
    const b = action('c2', 'r1');
    const events: Event[] = [user('go'), a, b, observation('c1', a.id, 'one'), observation('c2', b.id, 'two')];
    expect(toChatMessages(eventsToMessages(events))).toEqual([
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: 'I will run two things',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'echo', arguments: '{"text":"c1"}' } },
          { id: 'c2', type: 'function', function: { name: 'echo', arguments: '{"text":"c2"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: 'two' },
    ]);
  });

  it('separate responses make separate assistant messages; error observations carry the header', () => {
    const a = action('c1', 'r1');
    const b = action('c2', 'r2');
    const messages = toChatMessages(eventsToMessages([a, observation('c1', a.id, 'bad', true), b, observation('c2', b.id, 'ok')]));
    expect(messages.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant', 'tool']);
    expect(messages[1]).toMatchObject({ content: '[An error occurred during execution.]\nbad' });
  });

  it('keeps tool results next to their calls when a message came in between, and merges adjacent user messages', () => {
    const a = action('c1', 'r1');
    const messages = toChatMessages(eventsToMessages([user('one'), user('two'), a, user('while waiting'), observation('c1', a.id, 'done')]));
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(messages[0]).toEqual({ role: 'user', content: 'one\n\ntwo' });
  });

  it('leaves out calls that have no result yet', () => {
    const a = action('c1', 'r1', 'thinking');
    expect(toChatMessages(eventsToMessages([a]))).toEqual([{ role: 'assistant', content: 'thinking' }]);
  });
});
