import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { startTestServer, tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
useTestServer({}, (context) => {
  ({ llm, server } = context);
});

const info = async (target: TestServer, id: string) => (await target.api('GET', `/api/conversations/${id}`)).body;

/** Creates a conversation that runs its initial message to the end. */
async function finishedConversation(target: TestServer, id: string, text: string): Promise<void> {
  const created = await target.api('POST', '/api/conversations', {
    agent: wireAgent(llm),
    workspace: { working_dir: tempDir() },
    conversation_id: id,
    initial_message: userMessage(text, true),
    tags: { team: 'a' },
  });
  expect(created.status).toBe(201);
  await expect.poll(async () => (await info(target, id)).execution_status, { timeout: 10_000 }).toBe('finished');
}

describe('POST /api/conversations/{id}/fork', () => {
  it('201: a new conversation with a copy of the events, idle, naming its source; tags and title as given', async () => {
    llm.setScript('fork-src', [mock.finish('done')]);
    await finishedConversation(server, 'fork-src', 'original task');
    const sourceEvents = (await server.api('GET', '/api/conversations/fork-src/events/search?limit=100&include_state=true')).body.items;

    const forked = await server.api('POST', '/api/conversations/fork-src/fork', { id: 'fork-copy', title: 'A branch', tags: { branch: 'b' } });
    expect(forked.status).toBe(201);
    expect(forked.body).toMatchObject({
      id: 'fork-copy',
      execution_status: 'idle',
      title: 'A branch',
      tags: { branch: 'b' },
      forked_from_conversation_id: 'fork-src',
      forked_from_event_id: null,
      event_count: sourceEvents.length + 1,
    });
    expect(forked.body.stats.usage_to_metrics).toEqual({});
    const forkEvents = (await server.api('GET', '/api/conversations/fork-copy/events/search?limit=100&include_state=true')).body.items;
    expect(forkEvents.slice(0, sourceEvents.length)).toEqual(sourceEvents);
    expect((await info(server, 'fork-src')).forked_from_conversation_id).toBeNull();

    // Up to an event, with the source's stats; no body at all is a whole copy.
    const firstMessage = sourceEvents.find((event: any) => event.kind === 'MessageEvent');
    const partial = await server.api('POST', '/api/conversations/fork-src/fork', { from_event_id: firstMessage.id, reset_metrics: false });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ forked_from_conversation_id: 'fork-src', forked_from_event_id: firstMessage.id });
    expect(partial.body.stats).toEqual((await info(server, 'fork-src')).stats);
    const whole = await server.api('POST', '/api/conversations/fork-src/fork');
    expect(whole.status).toBe(201);
    expect(whole.body.event_count).toBe(sourceEvents.length + 1);
  });

  it('404 for an unknown source or event, 409 for an id in use, 422 for a bad id', async () => {
    llm.setScript('fork-errors', [mock.finish('done')]);
    await finishedConversation(server, 'fork-errors', 'task');
    expect((await server.api('POST', '/api/conversations/no-such-conversation/fork', {})).status).toBe(404);
    const unknownEvent = await server.api('POST', '/api/conversations/fork-errors/fork', { from_event_id: 'no-such-event' });
    expect(unknownEvent.status).toBe(404);
    expect(unknownEvent.body.detail).toContain('no-such-event');
    expect((await server.api('POST', '/api/conversations/fork-errors/fork', { id: 'fork-errors' })).status).toBe(409);
    expect((await server.api('POST', '/api/conversations/fork-errors/fork', { id: 'fork-src' })).status).toBe(409);
    expect((await server.api('POST', '/api/conversations/fork-errors/fork', { id: '../x' })).status).toBe(422);
  });

  it('forks a stored conversation after a restart; the fork runs on with the copied context', async () => {
    const persistenceDir = tempDir();
    const firstSupervisor = new Supervisor({ threads: 1 });
    const first = await startTestServer(firstSupervisor, { persistenceDir });
    llm.setScript('fork-stored', [mock.finish('done')]);
    await finishedConversation(first, 'fork-stored', 'stored task');
    await first.close();
    await firstSupervisor.close();

    const secondSupervisor = new Supervisor({ threads: 1 });
    const second = await startTestServer(secondSupervisor, { persistenceDir });
    try {
      // A client re-attaches with its agent (the API key lives in memory only), as OpenHands' does; the fork takes it along.
      const attached = await second.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'fork-stored' });
      expect(attached.status).toBe(200);
      const forked = await second.api('POST', '/api/conversations/fork-stored/fork', { id: 'fork-of-stored' });
      expect(forked.status).toBe(201);
      expect(forked.body).toMatchObject({ forked_from_conversation_id: 'fork-stored', execution_status: 'idle', tags: {} });
      llm.setScript('fork-of-stored', [mock.finish('unused'), mock.finish('continued')]);
      await second.api('POST', '/api/conversations/fork-of-stored/events', userMessage('and more', true));
      await expect.poll(async () => (await info(second, 'fork-of-stored')).execution_status, { timeout: 10_000 }).toBe('finished');
      expect(JSON.stringify(llm.requestsFor('fork-of-stored')[0]!.body.messages)).toMatch(/stored task[\s\S]*and more/);
      const listed = (await second.api('GET', '/api/conversations/search')).body.items.map((item: any) => item.id);
      expect(listed).toEqual(expect.arrayContaining(['fork-stored', 'fork-of-stored']));
    } finally {
      await second.close();
      await secondSupervisor.close();
    }
  });
});

describe('POST /api/conversations/{id}/ask_agent', () => {
  it('answers from the context; no event is added and the status stays', async () => {
    llm.setScript('ask-src', [mock.finish('done'), mock.text('I finished the task.')]);
    await finishedConversation(server, 'ask-src', 'the task');
    const before = await info(server, 'ask-src');
    const asked = await server.api('POST', '/api/conversations/ask-src/ask_agent', { question: 'What did you do?' });
    expect(asked).toEqual({ status: 200, body: { response: 'I finished the task.' } });
    const after = await info(server, 'ask-src');
    expect(after.event_count).toBe(before.event_count);
    expect(after.execution_status).toBe('finished');
    expect(JSON.stringify(llm.requestsFor('ask-src')[1]!.body.messages)).toMatch(/the task[\s\S]*What did you do\?/);
  });

  it('is answered while the conversation runs; the run is not touched', async () => {
    llm.setScript('ask-running', [{ ...mock.text('Working on it.'), faults: [{ type: 'hang' }] }]);
    const created = await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'ask-running', initial_message: userMessage('long task', true) });
    expect(created.status).toBe(201);
    await llm.waitForRequests(1, { conversationId: 'ask-running' });
    const before = await info(server, 'ask-running');
    expect(before.execution_status).toBe('running');
    expect((await server.api('POST', '/api/conversations/ask-running/ask_agent', { question: 'Status?' })).body).toEqual({ response: 'Working on it.' });
    const after = await info(server, 'ask-running');
    expect([after.execution_status, after.event_count]).toEqual(['running', before.event_count]);
    expect((await server.api('POST', '/api/conversations/ask-running/interrupt')).status).toBe(200);
  });

  it('404 for an unknown conversation, 422 without a question', async () => {
    expect((await server.api('POST', '/api/conversations/no-such/ask_agent', { question: 'x' })).status).toBe(404);
    llm.setScript('ask-bad', [mock.finish('done')]);
    await finishedConversation(server, 'ask-bad', 'task');
    expect((await server.api('POST', '/api/conversations/ask-bad/ask_agent', {})).status).toBe(422);
    expect((await server.api('POST', '/api/conversations/ask-bad/ask_agent', { question: '' })).status).toBe(422);
  });
});
