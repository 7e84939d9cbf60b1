import { combinedMetrics, totalCost } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { describe, expect, it } from 'vitest';
import { mockAgent, scriptDelegation, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('delegation stats', () => {
  it("puts each sub-agent's costs into the parent's stats under delegate:<name>", async () => {
    const parentId = `delegate-stats-${Date.now()}`;
    const names = ['one', 'two'];
    const childIds = scriptDelegation(server, parentId, names, (name) => [mock.toolCall('think', { thought: `about ${name}` }), mock.finish(`${name} done`)]);
    const parent = supervisor.conversation({
      conversationId: parentId,
      agent: mockAgent(server, [{ name: 'delegate' }], { inputCostPerToken: 0.001, outputCostPerToken: 0.002 }),
      workspace: tempDir(),
    });
    await parent.sendMessage('delegate it');
    expect(await parent.run()).toBe('finished');

    const stats = (await parent.snapshot()).stats;
    expect(Object.keys(stats.usage_to_metrics).sort()).toEqual(['agent', 'delegate:one', 'delegate:two']);
    for (const [index, id] of childIds.entries()) {
      const child = await supervisor.get(id)!.snapshot();
      const delegated = stats.usage_to_metrics[`delegate:${names[index]}`]!;
      expect(delegated.accumulated_cost).toBeGreaterThan(0);
      expect(delegated).toEqual(combinedMetrics(child.stats));
      // Two model calls each (the message, then the finish).
      expect(delegated.token_usages).toHaveLength(2);
    }
    const own = stats.usage_to_metrics.agent!.accumulated_cost;
    expect(totalCost(parent.stats)).toBeCloseTo(own + names.reduce((sum, name) => sum + stats.usage_to_metrics[`delegate:${name}`]!.accumulated_cost, 0));
    await parent.close();
  }, 30_000);
});
