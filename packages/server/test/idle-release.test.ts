import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SECRET_MASK } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { idleDecision } from '../src/idle-release.js';
import { nextRelease as nextServerRelease, openEventSocket, snapshots, tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let supervisor: Supervisor;
let server: TestServer;
useTestServer({ idleReleaseMs: 150 }, (context) => {
  ({ llm, supervisor, server } = context);
});

const nextRelease = (id: string) => nextServerRelease(server, id);
const create = (id: string, fields: Record<string, unknown> = {}, tools: { name: string }[] = []) =>
  server.api('POST', '/api/conversations', { agent: wireAgent(llm, tools), workspace: { working_dir: tempDir() }, conversation_id: id, ...fields });
/**
 * This process's open files: an open conversation holds its event log and its terminal's pty. Sockets
 * are left out: the test's HTTP clients keep their connections alive.
 */
const openFiles = () =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return !readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:');
    } catch {
      return false;
    }
  }).length;

describe('idle conversations are released and reopened on demand', () => {
  it('a finished conversation is closed after the idle time; its next request reopens it with its API key and secrets', async () => {
    const id = 'idle-reopen';
    llm.setScript(id, [mock.finish('first'), mock.toolCall('terminal', { command: 'echo "[$TOKEN]"', security_risk: 'LOW' }), mock.finish('second')]);
    const released = nextRelease(id);
    expect((await create(id, { initial_message: userMessage('one', true), secrets: { TOKEN: 's3cret-value' } }, [{ name: 'terminal' }])).status).toBe(201);
    await released;
    expect(supervisor.get(id)).toBeUndefined();
    // Reading a released conversation does not reopen it.
    expect((await server.api('GET', `/api/conversations/${id}`)).body).toMatchObject({ execution_status: 'finished', secret_names: ['TOKEN'] });
    expect((await server.api('GET', '/api/conversations/search')).body.items.map((info: { id: string }) => info.id)).toContain(id);
    expect(supervisor.get(id)).toBeUndefined();

    const releasedAgain = nextRelease(id);
    expect((await server.api('POST', `/api/conversations/${id}/events`, userMessage('two', true))).status).toBe(200);
    expect(supervisor.get(id)).toBeDefined();
    await releasedAgain;
    expect((await server.api('GET', `/api/conversations/${id}/agent_final_response`)).body).toEqual({ response: 'second' });
    const requests = llm.requestsFor(id);
    expect(requests.at(-1)!.headers.authorization).toBe('Bearer test-key');
    const observations = (await server.api('GET', `/api/conversations/${id}/events/search?kind=ObservationEvent`)).body.items;
    const terminal = observations.find((event: { tool_name: string }) => event.tool_name === 'terminal');
    // The secret's value was kept for the reopened actor: the shell had it (and its output is masked).
    expect(JSON.stringify(terminal.observation)).toContain(`[${SECRET_MASK}]`);
    expect((await server.api('DELETE', `/api/conversations/${id}`)).status).toBe(200);
    expect((await server.api('GET', `/api/conversations/${id}`)).status).toBe(404);
  });

  it('a conversation with an event socket open is kept until the socket closes', async () => {
    const watched = 'idle-watched';
    await create(watched);
    const ws = openEventSocket(server.url, watched);
    await expect.poll(() => snapshots(ws.frames).length).toBe(1);
    const other = 'idle-unwatched';
    // Created after the socket subscribed, so its idle time ends after the watched one's.
    const otherReleased = nextRelease(other);
    await create(other);
    await otherReleased;
    expect(supervisor.get(watched)).toBeDefined();
    const watchedReleased = nextRelease(watched);
    ws.socket.close();
    await watchedReleased;
    expect(supervisor.get(watched)).toBeUndefined();
  });

  it('open files stay bounded however many conversations finished, without DELETE', async () => {
    const before = openFiles();
    const ids = Array.from({ length: 24 }, (_, index) => `idle-fd-${index}`);
    for (const id of ids) llm.setScript(id, [mock.toolCall('terminal', { command: 'true', security_risk: 'LOW' }), mock.finish('done')]);
    const released = Promise.all(ids.map(nextRelease));
    await Promise.all(ids.map((id) => create(id, { initial_message: userMessage('go', true) }, [{ name: 'terminal' }])));
    await released;
    expect(ids.filter((id) => supervisor.get(id) !== undefined)).toEqual([]);
    for (const id of ids.slice(0, 3)) expect((await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');
    expect(openFiles() - before).toBeLessThan(ids.length / 4);
  });
});

describe('idleDecision', () => {
  const facts = { now: 10_000, lastUsedAt: 0, idleReleaseMs: 5_000, runInProgress: false, inUse: 0, subscribers: 0, status: 'finished' as const };

  it('releases only what is idle long enough and not busy', () => {
    expect(idleDecision(facts)).toEqual({ action: 'release' });
    expect(idleDecision({ ...facts, lastUsedAt: 8_000 })).toEqual({ action: 'recheck', recheckInMs: 3_000 });
    expect(idleDecision({ ...facts, runInProgress: true })).toEqual({ action: 'busy' });
    expect(idleDecision({ ...facts, subscribers: 1 })).toEqual({ action: 'busy' });
    expect(idleDecision({ ...facts, inUse: 1 })).toEqual({ action: 'busy' });
    expect(idleDecision({ ...facts, status: 'running' })).toEqual({ action: 'busy' });
    expect(idleDecision({ ...facts, status: 'waiting_for_confirmation' })).toEqual({ action: 'busy' });
    for (const status of ['idle', 'paused', 'error', 'stuck'] as const) expect(idleDecision({ ...facts, status })).toEqual({ action: 'release' });
  });

  it('waits in steps a timer can take when the idle time is huge', () => {
    expect(idleDecision({ ...facts, idleReleaseMs: Number.MAX_SAFE_INTEGER })).toEqual({ action: 'recheck', recheckInMs: 2_147_483_647 });
  });
});
