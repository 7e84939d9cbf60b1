import { describe, expect, it } from 'vitest';
import type { ConversationStatus } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1, persistenceDir: false } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe("a handle's mirrored state, nobody subscribed to the events", () => {
  it('follows a run of quick steps: every status, and at the end the actor\'s event count, stats and agent', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server, [{ name: 'echo', module: testToolsModule }]), workspace: tempDir() });
    await conversation.ready();
    const agent = conversation.state.agent;
    const statuses: ConversationStatus[] = [];
    conversation.on('status', (status) => statuses.push(status));
    server.setScript(conversation.id, [...Array.from({ length: 30 }, (_, i) => mock.toolCall('echo', { text: `step ${i}` })), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    expect(statuses).toEqual(['running', 'finished']);
    const snapshot = await conversation.snapshot();
    expect(conversation.state.eventCount).toBe(snapshot.eventCount);
    expect(conversation.state.updatedAt).toBe(snapshot.updatedAt);
    const usage = Object.entries(snapshot.stats.usage_to_metrics);
    expect(usage.length).toBeGreaterThan(0);
    for (const [usageId, metrics] of usage) expect(conversation.state.stats.usage_to_metrics[usageId]?.accumulated_token_usage).toEqual(metrics.accumulated_token_usage);
    // The batches leave the agent out (it did not change): the handle keeps the one it had.
    expect(conversation.state.agent).toBe(agent);
    expect(conversation.state.agent).toEqual(snapshot.agent);
    await conversation.close();
  });

  it('catches up on events appended outside a command, without a subscriber, within moments', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server, [{ name: 'sleep', module: testToolsModule }]), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 300 }), mock.finish('done')]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    // While the tool sleeps, the action is in the log; the handle learns it without asking.
    await expect.poll(() => conversation.state.eventCount, { timeout: 2_000 }).toBeGreaterThanOrEqual(3);
    expect(await run).toBe('finished');
    await conversation.close();
  });
});
