import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { describe, expect, it } from 'vitest';
import { mockAgent, resultsOf, scriptDelegation, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const names = ['red', 'green', 'blue'];
const workLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

/** A parent whose three sub-agents are each in a long task, once all three have started it. */
async function delegating(label: string, ms: number) {
  const dir = tempDir();
  const log = join(dir, 'work.log');
  const parentId = `delegate-${label}-${Date.now()}`;
  const childIds = scriptDelegation(server, parentId, names, (name) => [mock.toolCall('timed_work', { file: log, label: name, ms }), mock.finish(`${name} done`)]);
  const parent = supervisor.conversation({ conversationId: parentId, agent: mockAgent(server, [{ name: 'delegate' }, { name: 'timed_work', module: testToolsModule }]), workspace: dir });
  await parent.sendMessage('delegate');
  const outcome = parent.run();
  await expect.poll(() => workLines(log).filter((line) => line.startsWith('start ')).length, { timeout: 20_000 }).toBe(3);
  return { parent, outcome, log, childIds };
}

describe('delegation control', () => {
  it('interrupting the parent interrupts its running sub-agents: they end paused, with no further model call', async () => {
    const { parent, outcome, log, childIds } = await delegating('interrupt', 60_000);
    await parent.interrupt();
    expect(await outcome).toBe('paused');
    expect(workLines(log).filter((line) => line.startsWith('stopped ')).sort()).toEqual(names.map((name) => `stopped ${name}`).sort());
    for (const id of childIds) {
      expect(supervisor.get(id)!.status).toBe('paused');
      expect(server.requestsFor(id)).toHaveLength(1);
    }
    const [, delegate] = resultsOf(await parent.getEvents(), 'delegate');
    expect(delegate?.kind).toBe('AgentErrorEvent');
    await parent.close();
  }, 30_000);

  it("pausing the parent pauses its sub-agents at their next step boundary; the delegate call reports they did not finish", async () => {
    const { parent, outcome, log, childIds } = await delegating('pause', 3000);
    await parent.pause();
    expect(await outcome).toBe('paused');
    // Each sub-agent's tool ran to its end (a pause lets it), then the sub-agent stopped before its next model call.
    expect(workLines(log).filter((line) => line.startsWith('end ')).length).toBe(3);
    for (const id of childIds) {
      expect(supervisor.get(id)!.status).toBe('paused');
      expect(server.requestsFor(id)).toHaveLength(1);
    }
    const [, delegate] = resultsOf(await parent.getEvents(), 'delegate');
    expect(delegate?.kind === 'ObservationEvent' && delegate.observation.is_error).toBe(true);
    await parent.close();
  }, 30_000);
});
