import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, probeReports, resultsOf, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
// The tool thread inherits its actor thread's limits: a tool that runs out of memory kills only it.
useRuntime({ supervisor: { threads: 1, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const tools = [
  { name: 'crash_tool_thread', module: testToolsModule },
  { name: 'probe', module: testToolsModule },
];

describe('a tool thread that dies ends only the calls in it', () => {
  it.each(['throw', 'exit', 'oom'] as const)('crash by %s: an error result, the actor goes on, the next call gets a fresh tool thread', async (how) => {
    const conversation = supervisor.conversation({ agent: mockAgent(server, tools), workspace: tempDir() });
    const bystander = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    await Promise.all([conversation.ready(), bystander.ready()]);
    const actorThread = conversation.state.threadId;
    server.setScript(conversation.id, [
      mock.toolCall('probe', { text: 'before', times: 5 }),
      mock.toolCall('crash_tool_thread', { how }),
      mock.toolCall('probe', { text: 'after' }),
      mock.finish('survived'),
    ]);
    server.setScript(bystander.id, [mock.text('still here')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');

    const events = await conversation.getEvents();
    const [crashResult] = resultsOf(events, 'crash_tool_thread');
    expect(crashResult).toMatchObject({ kind: 'AgentErrorEvent' });
    expect((crashResult as { error: string }).error).toMatch(/tool thread stopped while 'crash_tool_thread' ran: it died/);
    // The probe was made anew in the fresh tool thread: its count starts over.
    const probes = probeReports(events).map((report) => report.calls ?? null);
    expect(probes).toEqual([5, 1]);
    expect(conversation.state.threadId).toBe(actorThread);
    expect(conversation.state.lastError).toBeUndefined();
    await bystander.sendMessage('are you there?');
    expect(await bystander.run()).toBe('finished');
    await Promise.all([conversation.close(), bystander.close()]);
  });
});
