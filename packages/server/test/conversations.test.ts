import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { tempDir, openEventSocket, persisted, snapshots, startTestServer, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let supervisor: Supervisor;
let server: TestServer;
useTestServer({  }, (context) => {
  ({ llm, supervisor, server } = context);
});

const waitForStatus = (id: string, status: string) =>
  expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status, { timeout: 10_000 }).toBe(status);

describe('the life of a conversation', () => {
  it('create with an initial message, stream, message mid-run, pause, run, interrupt, delete', async () => {
    const id = 'life-1';
    const workspace = tempDir();
    llm.setScript(id, [
      mock.toolCall('think', { thought: 'first' }, { latencyMs: 300 }),
      mock.toolCall('think', { thought: 'second' }),
      mock.finish('done with both'),
      mock.toolCall('think', { thought: 'third' }, { latencyMs: 300 }),
      mock.finish('after interrupt', { faults: [{ type: 'hang' }] }),
    ]);
    const created = await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm),
      workspace: { working_dir: workspace },
      conversation_id: id,
      initial_message: userMessage('start', true),
      tags: { team: 'a' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, workspace: { kind: 'LocalWorkspace', working_dir: workspace }, confirmation_policy: { kind: 'NeverConfirm' }, max_iterations: 500, stuck_detection: true, tags: { team: 'a' } });
    expect(created.body.agent.llm).not.toHaveProperty('api_key');
    expect(created.body.agent.kind).toBe('Agent');

    const ws = openEventSocket(server.url, id, 'resend_mode=all');
    await llm.waitForRequests(1, { conversationId: id });
    const mid = await server.api('POST', `/api/conversations/${id}/events`, userMessage('while you think'));
    expect(mid.status).toBe(200);
    expect(mid.body.success).toBe(true);
    await waitForStatus(id, 'finished');
    // The mid-run message reached the model in a later request.
    const later = llm.requestsFor(id).slice(1).map((request) => JSON.stringify(request.body.messages));
    expect(later.some((text) => text.includes('while you think'))).toBe(true);
    await expect.poll(() => snapshots(ws.frames).at(-1)?.value.execution_status).toBe('finished');
    expect(snapshots(ws.frames)[0].value.id).toBe(id);

    const final = await server.api('GET', `/api/conversations/${id}/agent_final_response`);
    expect(final.body).toEqual({ response: 'done with both' });

    // The socket got the whole log (state updates included, which REST lists only when asked), in order, exactly once.
    const log = await server.api('GET', `/api/conversations/${id}/events/search?limit=100&include_state=true`);
    await expect.poll(() => persisted(ws.frames).map((event) => event.id)).toEqual(log.body.items.map((event: any) => event.id));

    // A new message and run; pause lets the model call in flight finish.
    await server.api('POST', `/api/conversations/${id}/events`, userMessage('go on', true));
    await llm.waitForRequests(4, { conversationId: id });
    expect((await server.api('POST', `/api/conversations/${id}/run`)).status).toBe(409);
    expect((await server.api('POST', `/api/conversations/${id}/pause`)).status).toBe(200);
    await waitForStatus(id, 'paused');
    expect(llm.requestsFor(id)[3]!.outcome).toBe('replied');

    // Run again: the model call hangs until interrupted; the conversation is paused, then resumes.
    expect((await server.api('POST', `/api/conversations/${id}/run`)).status).toBe(200);
    await llm.waitForRequests(5, { conversationId: id });
    expect((await server.api('POST', `/api/conversations/${id}/interrupt`)).status).toBe(200);
    await waitForStatus(id, 'paused');
    expect((await server.api('POST', `/api/conversations/${id}/run`)).status).toBe(200);
    await waitForStatus(id, 'finished');
    expect((await server.api('GET', `/api/conversations/${id}/agent_final_response`)).body.response).toBe('after interrupt');

    expect((await server.api('PATCH', `/api/conversations/${id}`, { title: 'Renamed' })).status).toBe(200);
    expect((await server.api('GET', `/api/conversations/${id}`)).body.title).toBe('Renamed');

    expect((await server.api('DELETE', `/api/conversations/${id}`)).status).toBe(200);
    expect((await server.api('GET', `/api/conversations/${id}`)).status).toBe(404);
    expect(existsSync(join(server.persistenceDir, id))).toBe(false);
    expect(existsSync(workspace)).toBe(true);
    expect((await ws.closed).code).toBe(1001);
  });

  it('is idempotent on conversation_id: 201 new, 200 existing', async () => {
    const body = { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'idem-1', initial_message: userMessage('hello') };
    expect((await server.api('POST', '/api/conversations', body)).status).toBe(201);
    const again = await server.api('POST', '/api/conversations', { ...body, max_iterations: 3 });
    expect(again.status).toBe(200);
    expect(again.body.max_iterations).toBe(500);
  });

  it('runs an initial message whatever its run flag, as OpenHands does', async () => {
    const created = await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, initial_message: userMessage('go', false) });
    const id = created.body.id;
    await llm.waitForRequests(1, { conversationId: id });
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');
  });

  it('honours run_initial_message=false (a Troupe addition): the message is stored, the agent does not start', async () => {
    const created = await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, initial_message: userMessage('wait'), run_initial_message: false });
    const id = created.body.id;
    expect(created.body.execution_status).toBe('idle');
    const count = await server.api('GET', `/api/conversations/${id}/events/count?kind=MessageEvent`);
    expect(count.body).toBe(1);
    expect(llm.requestsFor(id)).toHaveLength(0);
  });
});

describe('search and count', () => {
  it('pages with an inclusive cursor, filters by status and sorts four ways', async () => {
    const dir = tempDir();
    const own = await startTestServer(supervisor, { persistenceDir: dir });
    try {
      const ids: string[] = [];
      for (let index = 0; index < 5; index++) {
        const created = await own.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: `search-${index}`, initial_message: userMessage(`m${index}`), run_initial_message: false });
        ids.push(created.body.id);
      }
      await own.api('POST', `/api/conversations/${ids[2]}/pause`);
      await expect.poll(async () => (await own.api('GET', '/api/conversations/count?status=paused')).body).toBe(1);
      expect((await own.api('GET', '/api/conversations/count')).body).toBe(5);

      const walk = async (order: string) => {
        const seen: string[] = [];
        let page: string | null = null;
        do {
          const response = await own.api('GET', `/api/conversations/search?limit=2&sort_order=${order}${page ? `&page_id=${page}` : ''}`);
          expect(response.status).toBe(200);
          seen.push(...response.body.items.map((info: any) => info.id));
          page = response.body.next_page_id;
        } while (page);
        return seen;
      };
      expect(await walk('CREATED_AT')).toEqual(ids);
      expect(await walk('CREATED_AT_DESC')).toEqual([...ids].reverse());
      expect((await walk('UPDATED_AT')).sort()).toEqual([...ids].sort());
      expect((await walk('UPDATED_AT_DESC'))[0]).toBe(ids[2]);
      const paused = await own.api('GET', '/api/conversations/search?status=paused');
      expect(paused.body.items.map((info: any) => info.id)).toEqual([ids[2]]);
    } finally {
      await own.close();
    }
  });
});
