import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentText, ConversationExistsError, EventNotFoundError, FORK_UNFINISHED_ACTION_ERROR } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { eventWhere, mockAgent, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

/** The texts of the user messages a model request carried. */
const userTexts = (body: { messages: { role: string; content: unknown }[] }) =>
  body.messages.filter((message) => message.role === 'user').map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content)));

describe('fork', () => {
  it('a new conversation with a copy of the events, its own id, idle, that runs on from the copy', async () => {
    const source = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), persistenceDir: false });
    server.setScript(source.id, [mock.finish('listed')]);
    await source.sendMessage('first task');
    expect(await source.run()).toBe('finished');
    const sourceEvents = await source.getEvents();

    const fork = await source.fork();
    expect(fork.id).not.toBe(source.id);
    expect(fork.status).toBe('idle');
    expect(fork.state).toMatchObject({ forkedFromConversationId: source.id });
    expect(fork.state.forkedFromEventId).toBeUndefined();
    const forkEvents = await fork.getEvents();
    expect(forkEvents.slice(0, sourceEvents.length)).toEqual(sourceEvents);
    // Its own status change to idle, after the copy: the copy ended finished.
    expect(forkEvents.slice(sourceEvents.length)).toMatchObject([{ kind: 'ConversationStateUpdateEvent', key: 'execution_status', value: 'idle' }]);
    expect(fork.stats.usage_to_metrics).toEqual({});

    server.setScript(fork.id, [mock.finish('ignored'), mock.finish('second done')]);
    await fork.sendMessage('second task');
    expect(await fork.run()).toBe('finished');
    const [request] = server.requestsFor(fork.id);
    expect(userTexts(request!.body).join('\n')).toMatch(/first task[\s\S]*second task/);
    // The source is untouched.
    expect(await source.getEvents()).toEqual(sourceEvents);
    expect(source.status).toBe('finished');
    await Promise.all([source.close(), fork.close()]);
  });

  it('up to an event: the prefix of the log, the event named; an unknown event or an id in use is refused', async () => {
    const source = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), persistenceDir: false });
    server.setScript(source.id, [mock.finish('one'), mock.finish('two')]);
    const first = await source.sendMessage('first');
    await source.run();
    await source.sendMessage('second');
    await source.run();

    const fork = await source.fork({ upToEventId: first.id, resetMetrics: false, title: 'Branch' });
    const events = await fork.getEvents();
    const copied = events.findIndex((event) => event.id === first.id);
    expect(events.slice(copied + 1).every((event) => event.kind === 'ConversationStateUpdateEvent')).toBe(true);
    expect(events.filter((event) => event.kind === 'MessageEvent').map((event) => event.kind === 'MessageEvent' && contentText(event.llm_message.content))).toEqual(['first']);
    expect(fork.state).toMatchObject({ forkedFromConversationId: source.id, forkedFromEventId: first.id, title: 'Branch', status: 'idle' });
    expect(fork.stats).toEqual(source.stats);

    await expect(source.fork({ upToEventId: 'no-such-event' })).rejects.toThrow(EventNotFoundError);
    await expect(source.fork({ conversationId: source.id })).rejects.toThrow(ConversationExistsError);
    await Promise.all([source.close(), fork.close()]);
  });

  it('of a stored conversation: stored beside it, and reopened later as it was (idle, where it came from)', async () => {
    const persistenceDir = tempDir();
    const first = new Supervisor({ threads: 1, persistenceDir });
    const made = first.conversation({ agent: mockAgent(server), workspace: tempDir() });
    server.setScript(made.id, [mock.finish('done')]);
    await made.sendMessage('stored task');
    await made.run();
    await first.close();

    const second = new Supervisor({ threads: 1, persistenceDir });
    const source = second.resume(made.id);
    const fork = await source.fork();
    expect(existsSync(join(persistenceDir, fork.id, 'events.jsonl'))).toBe(true);
    const forkEvents = await fork.getEvents();
    await second.close();

    const third = new Supervisor({ threads: 1, persistenceDir });
    const reopened = third.resume(fork.id);
    await reopened.ready();
    expect(reopened.resumed).toBe(true);
    expect(reopened.state).toMatchObject({ status: 'idle', forkedFromConversationId: made.id });
    expect(await reopened.getEvents()).toEqual(forkEvents);
    // An id stored there (not open here) is refused by the storage, and nothing of it is touched.
    await expect(reopened.fork({ conversationId: made.id })).rejects.toThrow(ConversationExistsError);
    expect((await third.list()).find((listing) => listing.id === made.id)?.forkedFromConversationId).toBeUndefined();
    await third.close();
  });

  it('with another agent: the fork calls its model', async () => {
    const source = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), persistenceDir: false });
    server.setScript(source.id, [mock.finish('done')]);
    await source.sendMessage('task');
    await source.run();
    const fork = await source.fork({ agent: mockAgent(server, [], { model: 'openai/other-model' }) });
    server.setScript(fork.id, [mock.finish('again'), mock.finish('again')]);
    await fork.sendMessage('more');
    expect(await fork.run()).toBe('finished');
    expect(fork.state.agent?.llm.model).toBe('openai/other-model');
    expect(server.requestsFor(fork.id)[0]!.body.model).toBe('other-model');
    await Promise.all([source.close(), fork.close()]);
  });

  it('while a tool runs: the fork gives that action an error result and never runs it', async () => {
    const source = supervisor.conversation({ agent: mockAgent(server, [{ name: 'sleep', module: testToolsModule }]), workspace: tempDir(), persistenceDir: false });
    server.setScript(source.id, [mock.toolCall('sleep', { ms: 30_000 }), mock.finish('done')]);
    const acting = eventWhere(source, (event) => event.kind === 'ActionEvent' && event.tool_name === 'sleep');
    await source.sendMessage('sleep');
    const run = source.run();
    const action = await acting;

    const fork = await source.fork();
    expect(fork.status).toBe('idle');
    const results = (await fork.getEvents()).filter((event) => event.kind === 'AgentErrorEvent' || event.kind === 'ObservationEvent');
    expect(results).toMatchObject([{ kind: 'AgentErrorEvent', tool_call_id: action.kind === 'ActionEvent' ? action.tool_call_id : '', error: FORK_UNFINISHED_ACTION_ERROR }]);
    expect(source.status).toBe('running');
    await source.interrupt();
    expect(await run).toBe('paused');
    await Promise.all([source.close(), fork.close()]);
  });
});
