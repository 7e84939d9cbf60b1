import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, testToolsModule, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('conversation actor', () => {
  it('runs a conversation in a worker thread and mirrors its state', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server, [{ name: 'echo', module: testToolsModule }]), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('echo', { text: 'hi' }), mock.finish('all done')]);
    const seen: string[] = [];
    conversation.on('event', (event) => seen.push(event.kind));
    await conversation.sendMessage('say hi');
    expect(await conversation.run()).toBe('finished');
    expect(conversation.state.status).toBe('finished');
    expect(conversation.state.threadId).toBeGreaterThan(0);
    expect(seen).toContain('ObservationEvent');
    const events = [];
    for await (const event of conversation.stream(0, { untilIdle: true })) events.push(event);
    expect(events.map((e) => e.kind)).toEqual(seen.filter((k) => k !== 'StreamingDeltaEvent'));
    await conversation.close();
  });

  it('streams the reply to on("delta") listeners as StreamingDeltaEvents when the LLM streams', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server, [], { stream: true }), workspace: tempDir() });
    server.setScript(conversation.id, [mock.text('Streaming works one piece at a time.')]);
    const tokens: string[] = [];
    conversation.on('delta', (event) => tokens.push(event.content ?? ''));
    await conversation.sendMessage('stream please');
    expect(await conversation.run()).toBe('finished');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe('Streaming works one piece at a time.');
    expect(JSON.stringify(conversation.state.agent)).not.toContain('test-key');
    await conversation.close();
  });
});
