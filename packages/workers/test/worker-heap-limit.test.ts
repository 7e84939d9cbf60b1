import { getHeapStatistics } from 'node:v8';
import { BroadcastChannel } from 'node:worker_threads';
import { type MockServer, startMockServer } from '@troupe/core/testing';
import { Supervisor, type SupervisorOptions } from '@troupe/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAgent, tempDir } from './helpers.js';

const MB = 2 ** 20;
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

/** The heap limit (MB) a worker thread of a supervisor made with `options` reports. */
async function workerHeapLimitMb(options: SupervisorOptions): Promise<number> {
  const channel = new BroadcastChannel('troupe-test-heap-limit');
  const reported = new Promise<number>((resolve) => {
    channel.onmessage = (message) => resolve((message as { data: number }).data / MB);
  });
  const supervisor = new Supervisor({ ...options, threads: 1, workerImports: [new URL('./fixtures/heap-limit-broadcast.mjs', import.meta.url).href] });
  try {
    await supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() }).ready();
    return await reported;
  } finally {
    channel.close();
    await supervisor.close();
  }
}

describe('worker heap limit', () => {
  it("caps a worker thread below V8's 2 GB growth threshold by default, never above the process's limit", async () => {
    const processLimitMb = getHeapStatistics().heap_size_limit / MB;
    // The old generation is capped; the young generation adds its own few tens of MB to the reported limit.
    expect(await workerHeapLimitMb({})).toBeLessThanOrEqual(Math.min(2047, processLimitMb) + 128);
  });

  it('takes the old generation size given in resourceLimits instead', async () => {
    expect(await workerHeapLimitMb({ resourceLimits: { maxOldGenerationSizeMb: 3000 } })).toBeGreaterThanOrEqual(3000);
  });
});
