import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { RedisConversationStorage } from '@troupe/redis';
import { hasRedisServer, type RedisServer, startRedisServer } from '@troupe/redis/testing';
import { startServer } from '@troupe/server';
import { Supervisor } from '@troupe/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from './helpers.js';

const available = hasRedisServer();
if (!available && process.env.CI) throw new Error('redis-server is not installed: .ci/run installs it; the Redis store tests must not skip in CI.');

const workspace = () => mkdtempSync(join(tmpdir(), 'troupe-serve-redis-'));

function client(url: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

(available ? describe : describe.skip)('troupe serve --store redis://', () => {
  let redis: RedisServer;
  let llm: MockServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    llm = await startMockServer();
  });
  afterAll(async () => {
    await llm?.close();
    await redis?.stop();
  });

  const agent = () => ({ kind: 'Agent', llm: { model: 'openai/mock-model', base_url: llm.url, api_key: 'test-key' }, tools: [] });
  const start = (id: string, text: string) => ({ agent: agent(), workspace: { working_dir: workspace() }, conversation_id: id, initial_message: { role: 'user', content: [{ type: 'text', text }], run: true }, tags: { env: 'redis' } });

  it('a server started afresh (another supervisor, as on another machine) lists and resumes the conversations of the first', async () => {
    llm.setScript('store-done', [mock.finish('finished on the first server')]);
    llm.setScript('store-paused', [mock.toolCall('think', { thought: 'x' }, { latencyMs: 300 }), mock.finish('finished on the second server')]);
    const options = { url: redis.url, prefix: 'serve-test:' };

    const firstStorage = await RedisConversationStorage.connect(options);
    const firstSupervisor = new Supervisor({ threads: 1 });
    const first = await startServer({ host: '127.0.0.1', port: 0, supervisor: firstSupervisor, storage: firstStorage });
    const api1 = client(first.url);
    expect((await api1('POST', '/api/conversations', start('store-done', 'one'))).status).toBe(201);
    await expect.poll(async () => (await api1('GET', '/api/conversations/store-done')).body.execution_status).toBe('finished');
    await api1('POST', '/api/conversations', start('store-paused', 'two'));
    await llm.waitForRequests(1, { conversationId: 'store-paused' });
    await first.close(); // pauses the running one and saves it
    await firstSupervisor.close();
    await firstStorage.close();

    const secondStorage = await RedisConversationStorage.connect(options);
    const secondSupervisor = new Supervisor({ threads: 1 });
    const second = await startServer({ host: '127.0.0.1', port: 0, supervisor: secondSupervisor, storage: secondStorage });
    const api2 = client(second.url);
    try {
      const listed = await api2('GET', '/api/conversations/search?sort_order=CREATED_AT');
      expect(listed.body.items.map((info: any) => [info.id, info.execution_status])).toEqual([
        ['store-done', 'finished'],
        ['store-paused', 'paused'],
      ]);
      expect(listed.body.items[0].tags).toEqual({ env: 'redis' });
      expect(listed.body.items[0].persistence_dir).toBe(`${redis.url}/serve-test:conv:store-done`);
      expect((await api2('GET', '/api/conversations/store-done/agent_final_response')).body.response).toBe('finished on the first server');

      // The API key is not stored: the client re-attaches with its agent, then the run resumes where it stopped.
      await api2('POST', '/api/conversations', { agent: agent(), workspace: { working_dir: workspace() }, conversation_id: 'store-paused' });
      expect((await api2('POST', '/api/conversations/store-paused/run')).status).toBe(200);
      await expect.poll(async () => (await api2('GET', '/api/conversations/store-paused')).body.execution_status, { timeout: 15_000 }).toBe('finished');
      expect((await api2('GET', '/api/conversations/store-paused/agent_final_response')).body.response).toBe('finished on the second server');

      expect((await api2('DELETE', '/api/conversations/store-done')).status).toBe(200);
      expect(await secondStorage.readSnapshot('store-done')).toBeNull();
    } finally {
      await second.close();
      await secondSupervisor.close();
      await secondStorage.close();
    }
  }, 60_000);

  it('the command: troupe serve --store lists what is stored there', async () => {
    const served = spawnCli(['serve', '--port', '0', '--threads', '1', '--store', `${redis.url}?prefix=serve-test:`]);
    try {
      let url = '';
      await expect.poll(() => (url = /on (http:\/\/\S+) /.exec(served.output().stderr)?.[1] ?? ''), { timeout: 20_000 }).not.toBe('');
      expect(served.output().stderr).toMatch(new RegExp(`conversations in ${redis.url} \\(keys serve-test:…\\)`));
      const listed = await client(url)('GET', '/api/conversations/search');
      expect(listed.body.items.map((info: any) => info.id)).toContain('store-paused');
    } finally {
      served.child.kill('SIGTERM');
      expect(await served.done).toMatchObject({ code: 0, signal: null });
    }
  }, 60_000);

  it('refuses --store together with --persistence-dir', async () => {
    const refused = await spawnCli(['serve', '--port', '0', '--store', redis.url, '--persistence-dir', workspace()]).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--persistence-dir or --store, not both/);
  });
});
