import { describe, expect, it } from 'vitest';
import { lastStatusIn, RECOVERED_AFTER_UNCLEAN_STOP, RECOVERED_TOOL_ERROR, recoverAfterUncleanStop, unmatchedActions, createEvent } from '../src/index.js';
import { action, agentError, observation } from './events-fixture.js';

describe('unmatched actions and crash recovery (pure)', () => {
  const answered = action('a', 'echo', { text: 'a' });
  const errored = action('b', 'echo', { text: 'b' });
  const open = action('c', 'echo', { text: 'c' });
  const invalid = action('d', 'echo', null);
  const events = [answered, errored, open, invalid, observation(answered, 'ok'), agentError(errored, 'boom')];

  it('an executable action without an observation, rejection or error is pending; invalid ones never are', () => {
    expect(unmatchedActions(events).map((event) => event.tool_call_id)).toEqual(['c']);
    expect(unmatchedActions(events, 2).map((event) => event.tool_call_id)).toEqual(['c']);
  });

  it('the newest status in the log wins', () => {
    const status = (value: string) => createEvent({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'execution_status', value });
    expect(lastStatusIn([status('running'), status('paused')])).toBe('paused');
    expect(lastStatusIn(events)).toBeUndefined();
  });

  it('a conversation found running: each pending action gets an error result (never re-run) and it becomes paused', () => {
    const recovery = recoverAfterUncleanStop(events, 'running', { tornLine: { line: 9 } });
    expect(recovery.status).toBe('paused');
    expect(recovery.events.map((event) => event.kind)).toEqual(['ConversationErrorEvent', 'AgentErrorEvent', 'ConversationErrorEvent', 'PauseEvent']);
    expect(recovery.events[0]).toMatchObject({ code: 'TornEventDropped', detail: expect.stringContaining('line 9') });
    expect(recovery.events[1]).toMatchObject({ tool_call_id: 'c', error: RECOVERED_TOOL_ERROR });
    // OpenHands' PauseEvent has no reason: the reason is the error event before it.
    expect(recovery.events[2]).toMatchObject({ code: RECOVERED_AFTER_UNCLEAN_STOP, detail: expect.stringContaining('unclean stop') });
    expect(recovery.events[3]).toEqual({ kind: 'PauseEvent', source: 'environment' });
  });

  it('a conversation that was not running is left as it was', () => {
    expect(recoverAfterUncleanStop(events, 'finished', {})).toEqual({ events: [] });
  });
});
