import { describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

// The lane of the code under test: the built package's module (the supervisor runs from dist).
const { controlLane } = (await import(new URL('../dist/control-lane.js', import.meta.url).href)) as typeof import('../src/control-lane.js');

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('control lane back to the main thread', () => {
  it("an actor's reply reaches a busy main thread without the main thread's event loop", async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), persistenceDir: false });
    await conversation.ready();
    let eventLoopTurned = false;
    setImmediate(() => (eventLoopTurned = true));
    let answered = false;
    const call = conversation.setTitle('taken early').then(() => (answered = true));
    // Busy on microtasks only, polling where a busy main thread polls (each mail it handles); the
    // actor's thread is idle, answers, and rings. Bounded only so that a broken lane fails the test.
    const giveUpAt = Date.now() + 20_000;
    while (!answered && Date.now() < giveUpAt) {
      controlLane.poll();
      await Promise.resolve();
    }
    expect(eventLoopTurned).toBe(false);
    expect(answered).toBe(true);
    // The events the actor sent before its reply were delivered first, as always.
    expect(conversation.state.title).toBe('taken early');
    await call;
    await conversation.close();
  });
});
