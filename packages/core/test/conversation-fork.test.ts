import { describe, expect, it } from 'vitest';
import { EventNotFoundError, FORK_UNFINISHED_ACTION_ERROR, forkClosingEvents, forkedEvents } from '../src/index.js';
import { action, agentError, observation, userMessage } from './events-fixture.js';

describe('which events a fork copies (pure)', () => {
  const ask = userMessage('list the files');
  const ls = action('c1', 'terminal', { command: 'ls' });
  const listed = observation(ls, 'a.txt');
  const log = [ask, ls, listed];

  it('copies the whole log by default, and a prefix up to and including the given event', () => {
    expect(forkedEvents(log, 'source').map((event) => event.id)).toEqual([ask.id, ls.id, listed.id]);
    expect(forkedEvents(log, 'source', ls.id).map((event) => event.id)).toEqual([ask.id, ls.id]);
    expect(forkedEvents(log, 'source', ask.id)).toEqual([ask]);
  });

  it('refuses an event id the conversation does not have, naming it', () => {
    expect(() => forkedEvents(log, 'source', 'nope')).toThrow(EventNotFoundError);
    expect(() => forkedEvents(log, 'source', 'nope')).toThrow(/"nope" is not in conversation source/);
  });

  it('gives every action the copy leaves without a result an error result, and none to answered ones', () => {
    const pending = action('c2', 'terminal', { command: 'rm -rf build' });
    expect(forkClosingEvents([ask, ls, listed])).toEqual([]);
    expect(forkClosingEvents([ask, ls, listed, pending])).toEqual([
      { kind: 'AgentErrorEvent', source: 'agent', error: FORK_UNFINISHED_ACTION_ERROR, tool_name: 'terminal', tool_call_id: 'c2' },
    ]);
    expect(forkClosingEvents([ask, pending, agentError(pending, 'interrupted')])).toEqual([]);
  });
});
