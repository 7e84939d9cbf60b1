import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AgentConfigSchema,
  type ConversationRuntimeOptions,
  listStoredConversations,
  MissingToolError,
  openPersistedRuntime,
  PersistenceError,
  persistPolicy,
  RECOVERED_AFTER_UNCLEAN_STOP,
  SCHEMA_VERSION,
  SchemaVersionError,
  type ToolDefinition,
} from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { echoTool, mockLLM, tempDir, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

function agentWith(tools: string[]) {
  return AgentConfigSchema.parse({ llm: { model: 'openai/mock-model' }, tools: tools.map((name) => ({ name })) });
}

async function open(dir: string, id: string, tools: ToolDefinition[] = [echoTool()], extra: Partial<ConversationRuntimeOptions> = {}) {
  return openPersistedRuntime({
    id,
    conversationDir: join(dir, id),
    agent: agentWith(tools.map((t) => t.name)),
    llm: mockLLM(server),
    tools,
    workspace: dir,
    ...extra,
  });
}

describe('persistence', () => {
  it('pause, close, resume elsewhere: identical history plus the new events, stats kept', async () => {
    const dir = tempDir();
    const id = 'persist-pause-resume';
    server.setScript(id, [mock.toolCall('echo', { text: 'a' }, { latencyMs: 50 }), mock.finish('done')]);
    const { runtime: first, resumed } = await open(dir, id);
    expect(resumed).toBe(false);
    await first.sendMessage('go');
    const run = first.run();
    await server.waitForRequests(1, { conversationId: id });
    await first.pause();
    expect(await run).toBe('paused');
    const history = structuredClone([...first.events]);
    const stats = first.stats;
    await first.close();

    const { runtime: second, resumed: again } = await open(dir, id);
    expect(again).toBe(true);
    expect(second.status).toBe('paused');
    expect(second.events).toEqual(history);
    expect(second.stats).toEqual(stats);
    expect(await second.run()).toBe('finished');
    expect(second.events.slice(0, history.length)).toEqual(history);
    await second.close();

    const lines = readFileSync(join(dir, id, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.every((line, index) => line.v === SCHEMA_VERSION && line.seq === index)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, id, 'state.json'), 'utf8'))).toMatchObject({ schema_version: SCHEMA_VERSION, execution_status: 'finished' });
  });

  it('a conversation found running comes back paused; its action without a result is not re-executed', async () => {
    const dir = tempDir();
    const id = 'persist-crash';
    const calls: string[] = [];
    server.setScript(id, [mock.toolCall('echo', { text: 'side effect' }), mock.finish('done')]);
    const { runtime } = await open(dir, id, [echoTool(calls, { delayMs: 60_000 })]);
    await runtime.sendMessage('go');
    void runtime.run();
    await expect.poll(() => calls.length).toBe(1);
    // Simulate a crash: the process is gone without closing anything; the side-effect flush already happened.

    const { runtime: resumed } = await open(dir, id, [echoTool(calls)]);
    expect(resumed.status).toBe('paused');
    const tail = resumed.events.slice(-4).map((e) => e.kind);
    expect(tail).toEqual(['AgentErrorEvent', 'ConversationErrorEvent', 'PauseEvent', 'ConversationStateUpdateEvent']);
    expect(resumed.events.find((e) => e.kind === 'ConversationErrorEvent')).toMatchObject({ code: RECOVERED_AFTER_UNCLEAN_STOP, detail: expect.stringContaining('unclean stop') });
    expect(await resumed.run()).toBe('finished');
    expect(calls).toEqual(['side effect']);
    await resumed.close();
  });

  it('an acknowledged message queued mid-run survives a crash and is answered after resume', async () => {
    const dir = tempDir();
    const id = 'persist-ack';
    server.setScript(id, [{ ...mock.text('first'), faults: [{ type: 'hang' }] }, mock.text('second')]);
    const { runtime } = await open(dir, id);
    await runtime.sendMessage('go');
    void runtime.run();
    await server.waitForRequests(1, { conversationId: id });
    const ack = await runtime.sendMessage('do not lose me');
    expect(ack.queued).toBe(true);

    const { runtime: resumed } = await open(dir, id);
    expect(await resumed.run()).toBe('finished');
    const userMessages = resumed.events.filter((e) => e.kind === 'MessageEvent' && e.source === 'user');
    expect(userMessages.map((e) => e.id)).toContain(ack.id);
    expect(JSON.stringify(server.requestsFor(id).at(-1)!.body.messages)).toContain('do not lose me');
    await resumed.close();
  });

  it('a conversation waiting for confirmation resumes with its policy and pending action; approve runs it once', async () => {
    const dir = tempDir();
    const id = 'persist-confirmation';
    const calls: string[] = [];
    server.setScript(id, [mock.toolCall('echo', { text: 'risky' }), mock.finish('done')]);
    const { runtime } = await open(dir, id, [echoTool(calls)], { confirmationPolicy: 'always' });
    await runtime.sendMessage('go');
    expect(await runtime.run()).toBe('waiting_for_confirmation');
    await runtime.close();

    const { runtime: resumed } = await open(dir, id, [echoTool(calls)]);
    expect(resumed.status).toBe('waiting_for_confirmation');
    expect(resumed.snapshot().confirmationPolicy).toEqual({ kind: 'AlwaysConfirm' });
    expect(await resumed.approve()).toBe('finished');
    expect(calls).toEqual(['risky']);
    await resumed.close();
  });

  it('a torn last line is dropped and reported', async () => {
    const dir = tempDir();
    const id = 'persist-torn';
    server.setScript(id, [mock.text('hello')]);
    const { runtime } = await open(dir, id);
    await runtime.sendMessage('go');
    await runtime.run();
    const count = runtime.events.length;
    await runtime.close();
    appendFileSync(join(dir, id, 'events.jsonl'), '{"v":1,"seq":99,"event":{"kind":"Mess');

    const { runtime: resumed } = await open(dir, id);
    expect(resumed.events).toHaveLength(count + 1);
    expect(resumed.events.at(-1)).toMatchObject({ kind: 'ConversationErrorEvent', code: 'TornEventDropped' });
    await resumed.close();
    // The log is whole again: every line parses.
    const text = readFileSync(join(dir, id, 'events.jsonl'), 'utf8');
    expect(text.trim().split('\n').every((line) => JSON.parse(line))).toBeTruthy();
  });

  it('a corrupt line in the middle is a typed error naming file and line', async () => {
    const dir = tempDir();
    const id = 'persist-corrupt';
    server.setScript(id, [mock.text('hello')]);
    const { runtime } = await open(dir, id);
    await runtime.sendMessage('go');
    await runtime.run();
    await runtime.close();
    const file = join(dir, id, 'events.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = '{not json';
    writeFileSync(file, lines.join('\n'));
    const error = await open(dir, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersistenceError);
    expect((error as PersistenceError).line).toBe(2);
    expect((error as PersistenceError).message).toContain('events.jsonl line 2');
  });

  it('a truncated state file is a typed error naming it, never an empty conversation', async () => {
    const dir = tempDir();
    const id = 'persist-truncated';
    const { runtime } = await open(dir, id);
    await runtime.sendMessage('go');
    await runtime.close();
    const file = join(dir, id, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 40));
    const error = await open(dir, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersistenceError);
    expect((error as PersistenceError).file).toBe(file);
  });

  it('an unknown future schema version is refused with a clear error', async () => {
    const dir = tempDir();
    const id = 'persist-future';
    const { runtime } = await open(dir, id);
    await runtime.sendMessage('go');
    await runtime.close();
    const file = join(dir, id, 'state.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), schema_version: 99 }));
    await expect(open(dir, id)).rejects.toThrow(SchemaVersionError);
    await expect(open(dir, id)).rejects.toThrow(/schema version 99.*upgrade Troupe/);
  });

  it('tools may be added on resume, never removed', async () => {
    const dir = tempDir();
    const id = 'persist-tools';
    const { runtime } = await open(dir, id);
    await runtime.sendMessage('go');
    await runtime.close();
    await expect(open(dir, id, [])).rejects.toThrow(MissingToolError);
    await expect(open(dir, id, [])).rejects.toThrow('"echo"');
  });

  it('secret values never reach the disk', async () => {
    const dir = tempDir();
    const id = 'persist-secrets';
    server.setScript(id, [mock.toolCall('echo', { text: 'the token is s3cr3t-value' }), mock.finish('done')]);
    const { runtime } = await open(dir, id, [echoTool()], { secrets: { API_TOKEN: 's3cr3t-value' } });
    await runtime.sendMessage('use s3cr3t-value please');
    await runtime.run();
    await runtime.close();
    const stored = readFileSync(join(dir, id, 'events.jsonl'), 'utf8') + readFileSync(join(dir, id, 'state.json'), 'utf8');
    expect(stored).not.toContain('s3cr3t-value');
    expect(stored).toContain('<secret-hidden>');
    expect(stored).toContain('API_TOKEN');
  });

  it('lists stored conversations with status, title and last activity', async () => {
    const dir = tempDir();
    server.setScript('list-a', [mock.text('a')]);
    const { runtime } = await open(dir, 'list-a');
    await runtime.sendMessage('Write a haiku');
    await runtime.run();
    await runtime.close();
    const list = await listStoredConversations(dir);
    expect(list).toEqual([expect.objectContaining({ id: 'list-a', status: 'finished', title: 'Write a haiku', updatedAt: expect.any(String) })]);
  });

  it('durability modes: what is written and synced at each point', () => {
    expect(persistPolicy('step', 'event')).toEqual({ write: false, sync: false });
    expect(persistPolicy('step', 'side_effect')).toEqual({ write: true, sync: true });
    expect(persistPolicy('event', 'event')).toEqual({ write: true, sync: true });
    expect(persistPolicy('none', 'step')).toEqual({ write: true, sync: false });
    expect(persistPolicy('none', 'event')).toEqual({ write: false, sync: false });
  });
});
