import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { startTestServer, tempDir, userMessage, wireAgent } from './helpers.js';

let llm: MockServer;
beforeAll(async () => {
  llm = await startMockServer();
});
afterAll(async () => {
  await llm.close();
});

describe('restart', () => {
  it('lists persisted conversations after a restart; a running one comes back paused and resumes', async () => {
    const persistenceDir = tempDir();
    llm.setScript('restart-done', [mock.finish('finished before')]);
    llm.setScript('restart-running', [mock.toolCall('think', { thought: 'x' }, { faults: [{ type: 'hang' }] }), mock.finish('finished after')]);

    const firstSupervisor = new Supervisor({ threads: 2 });
    const first = await startTestServer(firstSupervisor, { persistenceDir });
    const create = (id: string) =>
      first.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: id, initial_message: userMessage(`task ${id}`, true), tags: { env: 'test' } });
    await create('restart-done');
    await create('restart-running');
    await expect.poll(async () => (await first.api('GET', '/api/conversations/restart-done')).body.execution_status).toBe('finished');
    await llm.waitForRequests(1, { conversationId: 'restart-running' });
    expect((await first.api('GET', '/api/conversations/restart-running')).body.execution_status).toBe('running');
    const eventsBefore = (await first.api('GET', '/api/conversations/restart-done/events/count')).body;
    await first.close();
    await firstSupervisor.close();

    const secondSupervisor = new Supervisor({ threads: 2 });
    const second = await startTestServer(secondSupervisor, { persistenceDir });
    try {
      const listed = await second.api('GET', '/api/conversations/search?sort_order=CREATED_AT');
      expect(listed.body.items.map((info: any) => [info.id, info.execution_status])).toEqual([
        ['restart-done', 'finished'],
        ['restart-running', 'paused'],
      ]);
      expect(listed.body.items[0].tags).toEqual({ env: 'test' });
      expect((await second.api('GET', '/api/conversations/count?status=paused')).body).toBe(1);
      expect((await second.api('GET', '/api/conversations/restart-done/events/count')).body).toBe(eventsBefore);

      // The API key is not stored: the client re-attaches with its agent, then the run resumes.
      const reattached = await second.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'restart-running' });
      expect(reattached.status).toBe(200);
      expect(reattached.body.execution_status).toBe('paused');
      expect((await second.api('POST', '/api/conversations/restart-running/run')).status).toBe(200);
      await expect.poll(async () => (await second.api('GET', '/api/conversations/restart-running')).body.execution_status, { timeout: 10_000 }).toBe('finished');
      expect((await second.api('GET', '/api/conversations/restart-running/agent_final_response')).body.response).toBe('finished after');
    } finally {
      await second.close();
      await secondSupervisor.close();
    }
  });
});
