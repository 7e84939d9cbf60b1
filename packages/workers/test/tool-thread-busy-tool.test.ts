import { describe, expect, it } from 'vitest';
import type { Event } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Conversation, Supervisor } from '@troupe/workers';
import { mockAgent, resultsOf, startRun, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

function recorded(conversation: Conversation): Event[] {
  const events: Event[] = [];
  conversation.on('event', (event) => events.push(event));
  return events;
}

describe('a module tool that busy-loops runs in the tool thread, not on its actor thread', () => {
  it('its neighbours finish, interrupt() returns at once, and the tool thread is stopped and started again', async () => {
    const workspace = tempDir();
    const busy = supervisor.conversation({ agent: mockAgent(server, [{ name: 'burn', module: testToolsModule }]), workspace });
    const neighbour = supervisor.conversation({ agent: mockAgent(server, [{ name: 'task_tracker' }]), workspace });
    const queued = supervisor.conversation({
      agent: mockAgent(server, [
        { name: 'sleep', module: testToolsModule },
        { name: 'echo', module: testToolsModule },
      ]),
      workspace,
    });
    await Promise.all([busy.ready(), neighbour.ready(), queued.ready()]);
    expect(new Set([busy.state.threadId, neighbour.state.threadId, queued.state.threadId]).size).toBe(1);
    server.setScript(busy.id, [mock.toolCall('burn', { ms: 15_000 }), mock.finish('never reached')]);
    server.setScript(neighbour.id, [
      ...Array.from({ length: 3 }, () => mock.toolCall('task_tracker', { command: 'view' })),
      mock.finish('neighbour done'),
    ]);
    server.setScript(queued.id, [mock.toolCall('sleep', { ms: 50 }), mock.toolCall('echo', { text: 'after the restart' }), mock.finish('queued done')]);
    const busyEvents = recorded(busy);
    const queuedEvents = recorded(queued);

    const busyRun = (await startRun(busy, 'burn')).outcome;
    // A call of another conversation, behind the busy loop in the same tool thread.
    const queuedRun = (await startRun(queued, 'sleep')).outcome;

    // The neighbour's whole run (model calls, built-in tool steps) happens while the loop goes on,
    // and so does the start of a conversation with module tools.
    expect(await (await startRun(neighbour)).outcome).toBe('finished');
    const late = supervisor.conversation({ agent: mockAgent(server, [{ name: 'echo', module: testToolsModule }]), workspace });
    await late.ready();
    expect(resultsOf(busyEvents, 'burn')).toEqual([]);

    await busy.interrupt();
    expect(busy.status).toBe('paused');
    // interrupt() did not wait for the tool thread to be stopped (the grace), let alone the loop.
    expect(resultsOf(queuedEvents, 'sleep')).toEqual([]);
    expect(await busyRun).toBe('paused');
    const [burnResult] = resultsOf(busyEvents, 'burn');
    expect(burnResult).toMatchObject({ kind: 'AgentErrorEvent', tool_name: 'burn' });
    expect((burnResult as { error: string }).error).toMatch(/interrupted/);

    // After the grace the tool thread is stopped: the call queued there ends with an error naming the
    // tool that would not stop; the next call runs in a fresh tool thread.
    expect(await queuedRun).toBe('finished');
    const [sleepResult] = resultsOf(queuedEvents, 'sleep');
    expect(sleepResult).toMatchObject({ kind: 'AgentErrorEvent' });
    expect((sleepResult as { error: string }).error).toMatch(/'burn' did not stop within \d+ ms of an interrupt/);
    const [echoResult] = resultsOf(queuedEvents, 'echo');
    expect(echoResult).toMatchObject({ kind: 'ObservationEvent', observation: { content: [{ type: 'text', text: 'echo: after the restart' }] } });
    expect(neighbour.status).toBe('finished');
    expect(queued.state.threadId).toBe(busy.state.threadId);
    await Promise.all([busy.close(), neighbour.close(), queued.close(), late.close()]);
  });
});
