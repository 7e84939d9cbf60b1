import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import { Agent, type Event } from '@troupe/core';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 }, server: { latencyMs: 5 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('many conversations at once', () => {
  it('200 conversations × 5 tool steps all finish, each with exactly its own events, over both threads', async () => {
    const agent = mockAgent(server, [{ name: 'echo', module: testToolsModule }]);
    const workspace = tempDir();
    const conversations = Array.from({ length: 200 }, () => supervisor.conversation({ agent, workspace }));
    const received = new Map<string, Event[]>();
    for (const conversation of conversations) {
      received.set(conversation.id, []);
      conversation.on('event', (event) => received.get(conversation.id)!.push(event));
      server.setScript(conversation.id, [
        ...Array.from({ length: 5 }, (_, step) => mock.toolCall('echo', { text: `${conversation.id}:${step}` })),
        mock.finish(`done ${conversation.id}`),
      ]);
    }
    const statuses = await Promise.all(
      conversations.map(async (conversation) => {
        await conversation.sendMessage(`task for ${conversation.id}`);
        return conversation.run();
      }),
    );
    expect(statuses.every((status) => status === 'finished')).toBe(true);
    const threads = new Set(conversations.map((c) => c.state.threadId));
    expect(threads.size).toBeGreaterThanOrEqual(2);
    for (const conversation of conversations) {
      const events = received.get(conversation.id)!;
      const observations = events.filter((e) => e.kind === 'ObservationEvent');
      expect(observations).toHaveLength(6);
      const texts = observations.slice(0, 5).map((e) => (e.kind === 'ObservationEvent' ? e.observation.content[0] : null));
      expect(texts).toEqual(Array.from({ length: 5 }, (_, step) => ({ type: 'text', text: `echo: ${conversation.id}:${step}` })));
      expect(JSON.stringify(events)).not.toMatch(new RegExp(conversations.filter((c) => c !== conversation).slice(0, 5).map((c) => c.id).join('|')));
    }
    await Promise.all(conversations.map((c) => c.close()));
  });
});

describe('messages to a running agent', () => {
  it('a message sent mid-run is in the very next model request', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server, [{ name: 'sleep', module: testToolsModule }]), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 200 }), mock.finish('done')]);
    await conversation.sendMessage('start');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    await conversation.sendMessage('while you sleep');
    expect(await run).toBe('finished');
    const second = server.requestsFor(conversation.id)[1]!;
    expect(JSON.stringify(second.body.messages.at(-1))).toContain('while you sleep');
    await conversation.close();
  });

  it('a message sent during the final step is answered', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    server.setScript(conversation.id, [mock.finish('first', { latencyMs: 200 }), mock.text('second')]);
    await conversation.sendMessage('start');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    await conversation.sendMessage('one more thing');
    expect(await run).toBe('finished');
    const requests = server.requestsFor(conversation.id);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]!.body.messages)).toContain('one more thing');
    await conversation.close();
  });

  it('1,000 messages sent rapidly to a running conversation arrive in order, none lost', async () => {
    // No condenser: the last request must carry all 1,000 messages (condensed, most would be summarized).
    const agent = Agent.fromConfig({ ...mockAgent(server, [{ name: 'sleep', module: testToolsModule }]).config, condenser: null });
    const conversation = supervisor.conversation({ agent, workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 300 }), mock.finish('done')]);
    await conversation.sendMessage('start');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    const acks = await Promise.all(Array.from({ length: 1000 }, (_, i) => conversation.sendMessage(`message ${i}`)));
    expect(acks.every((ack) => ack.queued)).toBe(true);
    await run;
    const messages = server.requestsFor(conversation.id).at(-1)!.body.messages as { role: string; content: string }[];
    const text = messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n\n');
    const order = [...text.matchAll(/message (\d+)/g)].map((match) => Number(match[1]));
    expect(order).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    await conversation.close();
  });
});
