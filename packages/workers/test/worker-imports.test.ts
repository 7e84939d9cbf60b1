import { BroadcastChannel } from 'node:worker_threads';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mockAgent, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

describe('workerImports', () => {
  it('imports modules in each worker thread first: a tracer provider registered there receives the spans of its conversations', async () => {
    const spans: Array<{ name: string; attributes: Record<string, unknown> }> = [];
    const channel = new BroadcastChannel('troupe-test-spans');
    channel.onmessage = (message) => spans.push((message as { data: (typeof spans)[number] }).data);
    const supervisor = new Supervisor({ threads: 1, workerImports: [new URL('./fixtures/span-broadcast.mjs', import.meta.url).href] });
    try {
      const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
      server.setScript(conversation.id, [mock.toolCall('think', { thought: 'hm' }), mock.finish('done')]);
      await conversation.sendMessage('Think, then finish');
      expect(await conversation.run()).toBe('finished');
      await expect.poll(() => spans.map((span) => span.name)).toContain('troupe.run');
      expect(spans.map((span) => span.name).filter((name) => name === 'troupe.step')).toHaveLength(2);
      expect(spans.every((span) => span.attributes['troupe.conversation.id'] === conversation.id)).toBe(true);
    } finally {
      channel.close();
      await supervisor.close();
    }
  });

  it('a module that fails to import fails the conversation with an error naming it', async () => {
    const supervisor = new Supervisor({ threads: 1, workerImports: ['./no-such-module.mjs'] });
    try {
      const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
      await expect(conversation.ready()).rejects.toThrow(/no-such-module\.mjs \(Supervisor option workerImports\) failed to import/);
    } finally {
      await supervisor.close();
    }
  });
});
