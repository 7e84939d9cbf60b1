import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, probeReports, tempDir, testToolsModule, useRuntime } from './helpers.js';

// The tools' log lines are read from stderr: the worker threads log at warn (they copy the environment when started).
// The suite runs files in one process (isolate: false): the level is put back after this file.
const logLevel = process.env.TROUPE_LOG_LEVEL;
process.env.TROUPE_LOG_LEVEL = 'warn';
afterAll(() => {
  if (logLevel === undefined) delete process.env.TROUPE_LOG_LEVEL;
  else process.env.TROUPE_LOG_LEVEL = logLevel;
});

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

let stderr: string[] = [];
beforeEach(() => {
  stderr = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    stderr.push(String(chunk));
    return write(chunk, ...(rest as []));
  });
});
afterEach(() => vi.restoreAllMocks());

const probeAgent = () => mockAgent(server, [{ name: 'probe', module: testToolsModule }]);

describe('module tools in the tool thread', () => {
  it('a provider makes one instance per conversation there, and each call carries its own context', async () => {
    const persistenceDir = tempDir();
    const workspaces = [tempDir(), tempDir()] as const;
    const first = supervisor.conversation({ agent: probeAgent(), workspace: workspaces[0], persistenceDir, secrets: { DEPLOY_TOKEN: 'tok-first-1234' } });
    const second = supervisor.conversation({ agent: probeAgent(), workspace: workspaces[1], persistenceDir: false });
    for (const conversation of [first, second]) {
      server.setScript(conversation.id, [mock.toolCall('probe', { text: 'one' }), mock.toolCall('probe', { text: 'use DEPLOY_TOKEN' }), mock.finish('done')]);
      await conversation.sendMessage('go');
    }
    expect(await Promise.all([first.run(), second.run()])).toEqual(['finished', 'finished']);

    for (const conversation of [first, second]) {
      const events = await conversation.getEvents();
      const actions = events.filter((event) => event.kind === 'ActionEvent' && event.tool_name === 'probe');
      const data = probeReports(events);
      expect(data.map((d) => d.calls)).toEqual([1, 2]);
      expect(data.map((d) => d.conversation_id)).toEqual([conversation.id, conversation.id]);
      expect(data[0]!.workspace).toBe(conversation.state.workspace);
      expect(data.map((d) => d.tool_call_id)).toEqual(actions.map((action) => (action.kind === 'ActionEvent' ? action.tool_call_id : null)));
      // Not the actor's thread: the tool thread it owns.
      expect(data[0]!.thread_id).not.toBe(conversation.state.threadId);
    }
    const [firstData, secondData] = [probeReports(await first.getEvents()), probeReports(await second.getEvents())];
    expect([firstData[0]!.workspace, secondData[0]!.workspace]).toEqual([...workspaces]);
    expect(firstData[0]!.conversation_dir).toBe(join(persistenceDir, first.id));
    expect(secondData[0]!.conversation_dir).toBeNull();
    expect(firstData[1]!.referenced_secrets).toEqual(['DEPLOY_TOKEN']);
    expect(secondData[1]!.referenced_secrets).toEqual([]);
    await Promise.all([first.close(), second.close()]);
  });

  it('secrets updated later reach the tool thread; its log lines reach the conversation logger, masked', async () => {
    const conversation = supervisor.conversation({ agent: probeAgent(), workspace: tempDir(), persistenceDir: false });
    await conversation.updateSecrets({ LATE_SECRET: 'late-value-98765' });
    server.setScript(conversation.id, [mock.toolCall('probe', { text: 'LATE_SECRET is late-value-98765' }), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const [data] = probeReports(await conversation.getEvents());
    expect(data!.referenced_secrets).toEqual(['LATE_SECRET']);
    await expect.poll(() => stderr.join('')).toContain(`[conversation ${conversation.id}] probe call 1: LATE_SECRET is <secret-hidden>`);
    expect(stderr.join('')).not.toContain('late-value-98765');
    await conversation.close();
  });

  it('arguments are checked there with the tool’s own schema: a bad call is an error result the model can correct', async () => {
    const conversation = supervisor.conversation({ agent: probeAgent(), workspace: tempDir(), persistenceDir: false });
    server.setScript(conversation.id, [mock.toolCall('probe', { text: 42 }), mock.toolCall('probe', { text: 'fixed' }), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const [bad, good] = probeReports(await conversation.getEvents());
    expect(String(bad!.error)).toMatch(/probe/);
    expect(String(bad!.error)).toMatch(/text/);
    expect(good!.calls).toBe(1);
    await conversation.close();
  });
});
