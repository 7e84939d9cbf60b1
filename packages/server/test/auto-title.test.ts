import { describe, expect, it } from 'vitest';
import { titleConversationId } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { type TestServer, tempDir, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
useTestServer({}, (context) => {
  ({ llm, server } = context);
});

const FIRST_MESSAGE = 'Please rename loadConfig to readConfig in every module of the repository';

async function start(id: string, extra: Record<string, unknown> = {}): Promise<void> {
  const created = await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: id, ...extra });
  expect(created.status).toBe(201);
  expect(created.body.title).toBeUndefined();
}

const info = async (id: string) => (await server.api('GET', `/api/conversations/${id}`)).body;
const agentCalls = async (id: string): Promise<number> => (await info(id)).stats.usage_to_metrics.agent?.response_latencies.length ?? 0;

describe('autotitle: the agent’s model writes the title in the background', () => {
  it('the first user message gets the model’s title in ConversationInfo; the call counts in the agent’s stats', async () => {
    const id = 'autotitle-model';
    llm.setScript(id, [mock.finish('Renamed.')]);
    llm.setScript(titleConversationId(id), [mock.text('Rename loadConfig to readConfig')]);
    await start(id);
    await server.api('POST', `/api/conversations/${id}/events`, userMessage(FIRST_MESSAGE, true));
    await expect.poll(async () => (await info(id)).title).toBe('Rename loadConfig to readConfig');
    const [request] = llm.requestsFor(titleConversationId(id));
    expect(JSON.stringify(request!.body)).toContain('rename loadConfig');
    await expect.poll(async () => (await info(id)).execution_status).toBe('finished');
    expect(await agentCalls(id)).toBe(2);
    // A second message does not title again.
    llm.setScript(id, [mock.finish('Renamed.'), mock.finish('Again.')]);
    await server.api('POST', `/api/conversations/${id}/events`, userMessage('Now do it again', true));
    await expect.poll(async () => (await info(id)).execution_status).toBe('finished');
    expect(llm.requestsFor(titleConversationId(id))).toHaveLength(1);
    expect((await info(id)).title).toBe('Rename loadConfig to readConfig');
  });

  it('the run does not wait for the title: it finishes while the title call is still unanswered', async () => {
    const id = 'autotitle-slow';
    llm.setScript(id, [mock.finish('Done.')]);
    llm.setScript(titleConversationId(id), [{ ...mock.text('never'), faults: [{ type: 'hang' }] }]);
    await start(id);
    await server.api('POST', `/api/conversations/${id}/events`, userMessage(FIRST_MESSAGE, true));
    await expect.poll(async () => (await info(id)).execution_status).toBe('finished');
    expect(llm.requestsFor(titleConversationId(id)).map((request) => request.outcome)).toEqual(['pending']);
    expect((await info(id)).title).toBeUndefined();
  });

  it('a failed title call: the first message, cut, is the title, the log says why, and the conversation goes on', async () => {
    const id = 'autotitle-fails';
    llm.setScript(id, [mock.finish('Done.')]);
    llm.setScript(titleConversationId(id), [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 400, message: 'title refused' }] }]);
    await start(id);
    await server.api('POST', `/api/conversations/${id}/events`, userMessage(FIRST_MESSAGE, true));
    await expect.poll(async () => (await info(id)).title).toBe(`${FIRST_MESSAGE.slice(0, 47)}...`);
    await expect.poll(async () => (await info(id)).execution_status).toBe('finished');
    const events = (await server.api('GET', `/api/conversations/${id}/events/search?kind=ConversationErrorEvent`)).body.items;
    expect(events).toEqual([expect.objectContaining({ kind: 'ConversationErrorEvent', detail: expect.stringContaining('title refused') })]);
    expect((await info(id)).last_error).toBeUndefined();
  });

  it('a title set while the model writes one is kept', async () => {
    const id = 'autotitle-renamed';
    llm.setScript(id, [mock.finish('Done.')]);
    llm.setScript(titleConversationId(id), [mock.text('The model’s title', { latencyMs: 3_000 })]);
    await start(id);
    await server.api('POST', `/api/conversations/${id}/events`, userMessage(FIRST_MESSAGE, true));
    await llm.waitForRequests(1, { conversationId: titleConversationId(id) });
    expect((await server.api('PATCH', `/api/conversations/${id}`, { title: 'Mine' })).status).toBe(200);
    // The title reply has been taken in once it counts in the stats.
    await expect.poll(() => agentCalls(id), { timeout: 10_000 }).toBe(2);
    expect((await info(id)).title).toBe('Mine');
  });

  it('autotitle false: no title call, no title', async () => {
    const id = 'autotitle-off';
    llm.setScript(id, [mock.finish('Done.')]);
    await start(id, { autotitle: false });
    await server.api('POST', `/api/conversations/${id}/events`, userMessage(FIRST_MESSAGE, true));
    await expect.poll(async () => (await info(id)).execution_status).toBe('finished');
    expect(llm.requestsFor(titleConversationId(id))).toEqual([]);
    expect((await info(id)).title).toBeUndefined();
  });
});
