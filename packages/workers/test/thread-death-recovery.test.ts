import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type Event } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { ActorCrashedError } from '@troupe/workers';
import { mockAgent, probeReports, resultsOf, startRun, tempDir, testToolsModule, useSupervisorPerTest } from './helpers.js';

const runtime = useSupervisorPerTest();

const tools = [
  { name: 'crash', module: testToolsModule },
  { name: 'sleep', module: testToolsModule },
  { name: 'probe', module: testToolsModule },
];

describe('a thread that dies loses only the conversations kept in memory only', () => {
  it('without a persistenceDir a conversation is kept by the supervisor and restored on a fresh thread; with false it is lost', async () => {
    const [supervisor, server] = [runtime.start({ threads: 1 }), runtime.server];
    const kept = supervisor.conversation({ agent: mockAgent(server, tools), workspace: tempDir() });
    const crasher = supervisor.conversation({ agent: mockAgent(server, tools), workspace: tempDir() });
    const memoryOnly = supervisor.conversation({ agent: mockAgent(server, tools), workspace: tempDir(), persistenceDir: false });
    server.setScript(kept.id, [mock.toolCall('probe', { text: 'where' }), mock.toolCall('sleep', { ms: 10_000 }), mock.finish('after restore')]);
    server.setScript(crasher.id, [mock.toolCall('crash', { how: 'exit' }), mock.finish('after restore')]);
    server.setScript(memoryOnly.id, [mock.toolCall('sleep', { ms: 10_000 }), mock.finish('never')]);

    const keptRun = (await startRun(kept, 'sleep')).outcome;
    const memoryRun = (await startRun(memoryOnly, 'sleep')).outcome;
    const before = await kept.getEvents();
    const dir = String(probeReports(before)[0]!.conversation_dir);
    expect(existsSync(dir)).toBe(true);
    await crasher.sendMessage('go');
    expect(await crasher.run()).toBe('error');
    expect(await keptRun).toBe('error');
    expect(await memoryRun).toBe('error');

    for (const conversation of [kept, crasher]) {
      await expect.poll(() => conversation.status, { timeout: 10_000 }).toBe('paused');
      expect(conversation.resumed).toBe(true);
      expect(conversation.isPersisted).toBe(false);
    }
    const after = await kept.getEvents();
    expect(after.slice(0, before.length).map((event) => event.id)).toEqual(before.map((event) => event.id));
    // The action cut short is never run again: it gets an error result, and the pause says why.
    expect(resultsOf(after, 'sleep')).toMatchObject([{ kind: 'AgentErrorEvent' }]);
    expect(after.find((event: Event) => event.kind === 'PauseEvent' && event.source === 'environment')).toBeTruthy();
    expect(await kept.run()).toBe('finished');

    expect(memoryOnly.status).toBe('error');
    expect(memoryOnly.state.lastError).toMatchObject({ code: 'WorkerCrashed', detail: expect.stringMatching(/kept in memory only \(persistenceDir: false\)/) });
    await expect(memoryOnly.getEvents()).rejects.toBeInstanceOf(ActorCrashedError);

    // The supervisor's own directories go with the conversation, and all of them with the supervisor.
    await kept.close();
    await expect.poll(() => existsSync(dir)).toBe(false);
    const root = dirname(dirname(dir));
    expect(existsSync(root)).toBe(true);
    await runtime.close();
    expect(existsSync(root)).toBe(false);
  });

  it("a supervisor's persistenceDir: false makes its conversations memory-only", async () => {
    const [supervisor, server] = [runtime.start({ threads: 1, persistenceDir: false }), runtime.server];
    const conversation = supervisor.conversation({ agent: mockAgent(server, tools), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('crash', { how: 'throw' }), mock.finish('never')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('error');
    expect(conversation.state.lastError?.detail).toMatch(/kept in memory only/);
    await expect(conversation.snapshot()).rejects.toBeInstanceOf(ActorCrashedError);
  });

  it('a new conversation never resumes what a closed one with the same id left', async () => {
    const [supervisor, server] = [runtime.start({ threads: 1 }), runtime.server];
    const first = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), conversationId: 'reused-id' });
    server.setScript('reused-id', [mock.text('hello')]);
    await first.sendMessage('go');
    expect(await first.run()).toBe('finished');
    await first.close();
    const second = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), conversationId: 'reused-id' });
    await second.ready();
    expect(second.resumed).toBe(false);
    expect(await second.getEvents()).toEqual([]);
    // Without a persistenceDir there is nothing stored to resume: an agent is required.
    const orphan = supervisor.resume('reused-id');
    await expect(orphan.ready()).rejects.toBeInstanceOf(ConfigError);
  });
});
