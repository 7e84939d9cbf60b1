import {
  SCHEMA_VERSION,
  ConversationLeaseError,
  eventLogRecord,
  openPersistedRuntime,
  PersistenceError,
  SchemaVersionError,
  type ToolDefinition,
} from '@troupe/core';
import { mock, ScriptedLLM } from '@troupe/core/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisConversationStorage } from '../src/index.js';
import { agentWith, countingTool, describeWithRedis, tempDir } from './helpers.js';

describeWithRedis('Redis conversation storage', (redis) => {
  let storage: RedisConversationStorage;
  let client: Redis;
  beforeAll(async () => {
    storage = await RedisConversationStorage.connect({ url: redis().url, prefix: 'test:', leaseTtlMs: 500, leaseWaitMs: 200 });
    client = new Redis(redis().url);
  });
  afterAll(async () => {
    await storage.close();
    client.disconnect();
  });

  async function open(id: string, script: ConstructorParameters<typeof ScriptedLLM>[0], tools: ToolDefinition[]) {
    return openPersistedRuntime({
      id,
      opened: await storage.open(id),
      agent: agentWith(tools.map((tool) => tool.name)),
      llm: new ScriptedLLM(script),
      tools,
      workspace: tempDir(),
    });
  }

  it('stores events with sequence numbers and the state; another process reads back the same history and resumes it', async () => {
    const counter = { calls: 0 };
    const script = [mock.toolCall('count', { text: 'a' }), mock.finish('done')];
    const { runtime: first, resumed } = await open('round-trip', script, [countingTool(counter)]);
    expect(resumed).toBe(false);
    await first.sendMessage('go');
    expect(await first.run()).toBe('finished');
    const history = structuredClone([...first.events]);
    await first.close();

    // What Redis holds: one stream entry per event, `<seq + 1>-0`, holding the versioned record; the state as in state.json.
    const entries = await client.xrange('test:conv:round-trip:events', '-', '+');
    expect(entries.map(([id]) => id)).toEqual(history.map((_, seq) => `${seq + 1}-0`));
    expect(JSON.parse(entries[0]![1][1]!)).toEqual(eventLogRecord(0, history[0]!));
    const state = JSON.parse((await client.get('test:conv:round-trip:state'))!);
    expect(state).toMatchObject({ schema_version: SCHEMA_VERSION, id: 'round-trip', execution_status: 'finished', event_count: history.length });

    const { runtime: second, resumed: again } = await open('round-trip', script, [countingTool(counter)]);
    expect(again).toBe(true);
    expect(second.events).toEqual(history);
    await second.sendMessage('once more');
    await second.run();
    await second.close();
    expect((await storage.readSnapshot('round-trip'))?.eventCount).toBe(second.events.length);
    expect(counter.calls).toBe(1);
  });

  it('lists stored conversations newest first, keeps attachments, deletes them', async () => {
    for (const id of ['list-a', 'list-b']) {
      const { runtime } = await open(id, [mock.finish('ok')], []);
      await runtime.sendMessage(`hello ${id}`);
      await runtime.close();
    }
    await storage.writeAttachment('list-a', 'server.json', '{"tags":{"a":"b"}}');
    const listed = (await storage.list()).map((snapshot) => snapshot.id);
    expect(listed.indexOf('list-b')).toBeLessThan(listed.indexOf('list-a'));
    expect(await storage.readAttachment('list-a', 'server.json')).toBe('{"tags":{"a":"b"}}');
    await expect(storage.readAttachment('list-a', '../x')).rejects.toThrow();
    await storage.delete('list-a');
    expect(await storage.readSnapshot('list-a')).toBeNull();
    expect(await storage.readAttachment('list-a', 'server.json')).toBeNull();
    expect((await storage.list()).map((snapshot) => snapshot.id)).not.toContain('list-a');
  });

  it('one writer at a time: a second open waits for the claim and fails naming it; a writer whose claim was taken over writes nothing more', async () => {
    const { runtime } = await open('leased', [mock.finish('ok')], []);
    await expect(storage.open('leased')).rejects.toBeInstanceOf(ConversationLeaseError);

    // The claim of a frozen process expires (no renewal) and another process opens the conversation.
    await client.del('test:conv:leased:lease');
    const other = await storage.open('leased');
    await expect(runtime.sendMessage('from the old writer')).rejects.toBeInstanceOf(ConversationLeaseError);
    // Nothing of what the old writer did after the takeover reached Redis.
    expect(other.loaded?.events).toEqual([]);
    expect(runtime.events.length).toBeGreaterThan(0);
    await other.store.close();
    await runtime.close().catch(() => undefined);
  });

  it('reads records through the same checks as files: a newer schema version and a broken sequence are typed errors naming the key', async () => {
    const { runtime } = await open('versions', [mock.finish('ok')], []);
    await runtime.sendMessage('hi');
    await runtime.close();
    const key = 'test:conv:versions:events';
    const entries = await client.xrange(key, '-', '+');
    const rewrite = async (change: (record: Record<string, unknown>) => Record<string, unknown>) => {
      await client.del(key);
      for (const [index, [entryId, fields]] of entries.entries()) {
        const record = JSON.parse(fields[1]!);
        await client.xadd(key, entryId, 'r', JSON.stringify(index === 0 ? change(record) : record));
      }
    };
    await rewrite((record) => ({ ...record, v: 99 }));
    const failure = storage.open('versions');
    await expect(failure).rejects.toBeInstanceOf(SchemaVersionError);
    await expect(failure).rejects.toThrow(/Redis key test:conv:versions:events entry 1 has schema version 99/);

    await rewrite((record) => ({ ...record, seq: 5 }));
    await expect(storage.open('versions')).rejects.toThrow(/entry 1 has sequence number 5, expected 0/);
    await expect(storage.open('versions')).rejects.toBeInstanceOf(PersistenceError);
  });
});
