import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { Event } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { actorThreadLimits, LEAN_OLD_GENERATION_MB, LEAN_YOUNG_GENERATION_MB, Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1, persistenceDir: false } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const reported = (events: Event[]) => JSON.parse(events.flatMap((e) => (e.kind === 'ObservationEvent' && e.observation.content[0]?.type === 'text' ? [e.observation.content[0].text] : []))[0]!) as Record<string, number>;

async function limitsOnThread(on: Supervisor): Promise<Record<string, number>> {
  const conversation = on.conversation({ agent: mockAgent(server, [{ name: 'thread_limits', module: testToolsModule }]), workspace: tempDir() });
  server.setScript(conversation.id, [mock.toolCall('thread_limits', {}), mock.finish('done')]);
  await conversation.sendMessage('go');
  expect(await conversation.run()).toBe('finished');
  const limits = reported(await conversation.getEvents());
  await conversation.close();
  return limits;
}

describe('the heap limits of actor threads', () => {
  it('default to a lean young generation and, on a machine with a larger default, an old generation just below 2 GB', () => {
    expect(actorThreadLimits(undefined, 4_144)).toEqual({ maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: LEAN_OLD_GENERATION_MB });
    // Where V8's own default is smaller, it stays.
    expect(actorThreadLimits(undefined, 1_500)).toEqual({ maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB });
  });

  it('each limit given replaces its default; the others stay', () => {
    expect(actorThreadLimits({ maxOldGenerationSizeMb: 4_096 }, 4_144)).toEqual({ maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: 4_096 });
    expect(actorThreadLimits({ maxYoungGenerationSizeMb: 48, stackSizeMb: 8 }, 4_144)).toEqual({ maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: LEAN_OLD_GENERATION_MB, stackSizeMb: 8 });
  });

  it('are the limits of the threads a supervisor starts', async () => {
    const limits = await limitsOnThread(supervisor);
    expect(limits.maxYoungGenerationSizeMb).toBe(LEAN_YOUNG_GENERATION_MB);
    if (getHeapStatistics().heap_size_limit / 2 ** 20 > LEAN_OLD_GENERATION_MB) expect(limits.maxOldGenerationSizeMb).toBe(LEAN_OLD_GENERATION_MB);

    const roomy = new Supervisor({ threads: 1, persistenceDir: false, resourceLimits: { maxOldGenerationSizeMb: 3_000 } });
    try {
      expect(await limitsOnThread(roomy)).toMatchObject({ maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: 3_000 });
    } finally {
      await roomy.close();
    }
  });
});
