import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentText, subConversationId } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { describe, expect, it } from 'vitest';
import { mockAgent, resultsOf, tempDir, testToolsModule, useRuntime } from './helpers.js';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('delegation', () => {
  it('runs three delegated tasks at once, each a sub-conversation on the pool, and returns each final response', async () => {
    const dir = tempDir('troupe-delegate-');
    const log = join(dir, 'work.log');
    const parentId = `delegating-${Date.now()}`;
    const names = ['alpha', 'beta', 'gamma'];
    server.setScript(parentId, [
      mock.toolCall('delegate', { command: 'spawn', ids: names, agent_types: ['', 'worker'] }),
      mock.toolCall('delegate', { command: 'delegate', tasks: Object.fromEntries(names.map((name) => [name, `do ${name}`])) }),
      mock.finish('all delegated'),
    ]);
    const childIds = names.map((name, index) => subConversationId(parentId, index, name));
    childIds.forEach((id, index) => server.setScript(id, [mock.toolCall('timed_work', { file: log, label: names[index]!, ms: 2000 }), mock.finish(`${names[index]} is done`)]));

    const tools = [{ name: 'delegate' }, { name: 'timed_work', module: testToolsModule }];
    const parent = supervisor.conversation({
      conversationId: parentId,
      agent: mockAgent(server, tools),
      workspace: dir,
      agentDefinitions: [{ name: 'worker', description: 'Does one piece of work.', tools: [{ name: 'timed_work', module: testToolsModule }], systemPromptSuffix: 'You are a worker.' }],
    });
    await parent.sendMessage('split the work');
    expect(await parent.run()).toBe('finished');

    // Every task started before any ended: they ran at the same time.
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.slice(0, 3).every((line) => line.startsWith('start '))).toBe(true);
    expect(lines.slice(3).every((line) => line.startsWith('end '))).toBe(true);

    const [spawn, delegate] = resultsOf(await parent.getEvents(), 'delegate');
    expect(spawn?.kind).toBe('ObservationEvent');
    const report = delegate?.kind === 'ObservationEvent' ? contentText(delegate.observation.content) : '';
    for (const name of names) expect(report).toContain(`${name} is done`);
    expect(delegate?.kind === 'ObservationEvent' && delegate.observation.is_error).toBe(false);

    expect(parent.state.subConversationIds).toEqual(childIds);
    for (const [index, id] of childIds.entries()) {
      const child = supervisor.get(id)!;
      expect(child.state.parentConversationId).toBe(parentId);
      expect(child.status).toBe('finished');
      const prompt = (await child.getEvents()).find((event) => event.kind === 'SystemPromptEvent');
      const promptText = prompt?.kind === 'SystemPromptEvent' ? prompt.system_prompt.text : '';
      // beta is a `worker` (its definition's suffix); the others the default type (the parent's agent).
      expect(promptText.includes('You are a worker.')).toBe(index === 1);
    }
    await parent.close();
    // The parent closes its sub-conversations with it.
    expect(childIds.map((id) => supervisor.get(id))).toEqual([undefined, undefined, undefined]);
  }, 30_000);
});
