import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { type Conversation, Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, testToolsModule } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor | undefined;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await supervisor?.close();
  supervisor = undefined;
});

const tools = [
  { name: 'sleep', module: testToolsModule },
  { name: 'crash', module: testToolsModule },
];

/** Opens conversations until there are `perThread` on each of the two threads. */
async function spread(sup: Supervisor, perThread: number, options: { persistenceDir: string | false }): Promise<Map<number, Conversation[]>> {
  const byThread = new Map<number, Conversation[]>();
  for (let i = 0; i < perThread * 2; i++) {
    const conversation = sup.conversation({ agent: mockAgent(server, tools), workspace: tempDir(), ...options });
    await conversation.ready();
    const list = byThread.get(conversation.state.threadId!) ?? [];
    list.push(conversation);
    byThread.set(conversation.state.threadId!, list);
  }
  expect(byThread.size).toBe(2);
  return byThread;
}

describe('a worker thread that dies takes down only its own actors', () => {
  it.each(['throw', 'exit', 'oom'] as const)('crash by %s', async (how) => {
    supervisor = new Supervisor({ threads: 2, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } });
    // Memory-only conversations: their thread's death ends them (the others are restored; see thread-death-recovery.test.ts).
    const byThread = await spread(supervisor, 2, { persistenceDir: false });
    const [[, doomed], [, safe]] = [...byThread.entries()] as [[number, Conversation[]], [number, Conversation[]]];
    const [crasher, bystander] = doomed;
    server.setScript(crasher!.id, [mock.toolCall('crash', { how })]);
    server.setScript(bystander!.id, [mock.toolCall('sleep', { ms: 5_000 }), mock.finish('never')]);
    for (const conversation of safe) server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 400 }), mock.finish('fine')]);

    const runs = [...doomed, ...safe].map(async (conversation) => {
      await conversation.sendMessage('go');
      return conversation.run();
    });
    const [crasherStatus, bystanderStatus, ...safeStatuses] = await Promise.all(runs);
    expect(crasherStatus).toBe('error');
    expect(bystanderStatus).toBe('error');
    expect(crasher!.state.lastError).toMatchObject({ code: 'WorkerCrashed' });
    expect(safeStatuses).toEqual(['finished', 'finished']);
  });

  it('persisted conversations on a dead thread are restored on a fresh one, paused, and can finish', async () => {
    const persistenceDir = tempDir();
    supervisor = new Supervisor({ threads: 2 });
    const byThread = await spread(supervisor, 2, { persistenceDir });
    const [[, doomed]] = [...byThread.entries()] as [[number, Conversation[]]];
    const [crasher, bystander] = doomed;
    server.setScript(crasher!.id, [mock.toolCall('crash', { how: 'exit' }), mock.finish('after crash')]);
    server.setScript(bystander!.id, [mock.toolCall('sleep', { ms: 5_000 }), mock.finish('after restore')]);
    await Promise.all(doomed.map((c) => c.sendMessage('go')));
    const statuses = await Promise.all(doomed.map((c) => c.run()));
    expect(statuses).toEqual(['error', 'error']);
    for (const conversation of doomed) await expect.poll(() => conversation.status, { timeout: 10_000 }).toBe('paused');
    const events = await bystander!.getEvents();
    expect(events.filter((e) => e.kind === 'AgentErrorEvent').at(-1)).toMatchObject({ tool_name: 'sleep' });
    expect(events.find((e) => e.kind === 'PauseEvent' && e.source === 'environment')).toBeTruthy();
    expect(await bystander!.run()).toBe('finished');
  });

  it("with restoreAs 'running' a restored conversation goes on by itself", async () => {
    const persistenceDir = tempDir();
    supervisor = new Supervisor({ threads: 2, restoreAs: 'running' });
    const byThread = await spread(supervisor, 1, { persistenceDir });
    const [[, [crasher]]] = [...byThread.entries()] as [[number, Conversation[]]];
    server.setScript(crasher!.id, [mock.toolCall('crash', { how: 'throw' }), mock.finish('recovered')]);
    await crasher!.sendMessage('go');
    expect(await crasher!.run()).toBe('error');
    await expect.poll(() => crasher!.status, { timeout: 10_000 }).toBe('finished');
  });
});
