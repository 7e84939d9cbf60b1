import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

// Fewer kept handles per thread than its 1,000 conversations, so that the bound below is one they would exceed.
const KEPT = 256;
process.env.TROUPE_FILE_HANDLES_KEPT = String(KEPT);
// The threads read it when they start; later files (which share this process) get the default again.
afterAll(() => {
  delete process.env.TROUPE_FILE_HANDLES_KEPT;
});

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 }, server: { defaultScript: [mock.text('done')] } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

/** The process's open descriptors (worker threads' are the process's). */
const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

describe('open conversations hold no file descriptor each', () => {
  it('2,000 persisted conversations, finished and still open, add no more descriptors than the threads\' shared handles', { timeout: 180_000 }, async () => {
    const persistenceDir = tempDir();
    // Few sockets to the model, so that the count is the conversations' own.
    const agent = mockAgent(server, [], { maxConnections: 4 });
    const open = (count: number) => Array.from({ length: count }, () => supervisor.conversation({ agent, workspace: persistenceDir, persistenceDir, durability: 'none' }));
    const finish = (conversations: ReturnType<typeof open>) =>
      Promise.all(
        conversations.map(async (conversation) => {
          await conversation.sendMessage('go');
          return conversation.run();
        }),
      );
    // Warm up: both threads started, their model connections open.
    expect(new Set(await finish(open(8)))).toEqual(new Set(['finished']));
    const before = openDescriptors();

    const conversations = open(2_000);
    const statuses = await finish(conversations);
    expect(statuses.every((status) => status === 'finished')).toBe(true);
    expect(new Set(conversations.map((conversation) => conversation.state.threadId)).size).toBe(2);
    expect(readdirSync(persistenceDir).length).toBeGreaterThanOrEqual(2_008);
    // Each thread keeps at most KEPT log handles, whatever the number of conversations.
    expect(openDescriptors() - before).toBeLessThanOrEqual(2 * KEPT + 20);
    await Promise.all(conversations.map((conversation) => conversation.close()));
  });
});
