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

const sleepAgent = () => mockAgent(server, [{ name: 'sleep', module: testToolsModule }]);

describe('pause and interrupt across threads', () => {
  it('pause() during a slow model call: the call completes, no further call, paused; run() finishes', async () => {
    const conversation = supervisor.conversation({ agent: sleepAgent(), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 1 }, { latencyMs: 300 }), mock.finish('done')]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    await conversation.pause();
    expect(await run).toBe('paused');
    expect(conversation.status).toBe('paused');
    expect(server.requestsFor(conversation.id).map((r) => r.outcome)).toEqual(['replied']);
    expect(await conversation.run()).toBe('finished');
    await conversation.close();
  });

  it('interrupt() during a 30 s model call aborts the request; run() resumes', async () => {
    const conversation = supervisor.conversation({ agent: sleepAgent(), workspace: tempDir() });
    server.setScript(conversation.id, [{ ...mock.finish('done'), latencyMs: 30_000 }]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    await conversation.interrupt();
    expect(await run).toBe('paused');
    await expect.poll(() => server.requestsFor(conversation.id)[0]?.outcome).toBe('aborted');
    const kinds = (await conversation.getEvents()).map((e) => e.kind);
    expect(kinds).toContain('InterruptEvent');
    server.setScript(conversation.id, [mock.finish('done')]);
    expect(await conversation.run()).toBe('finished');
    await conversation.close();
  });

  it('interrupt() during a long tool: error result for the action, paused, resumable', async () => {
    const conversation = supervisor.conversation({ agent: sleepAgent(), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 30_000 }), mock.finish('done')]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await expect.poll(async () => (await conversation.getEvents()).some((e) => e.kind === 'ActionEvent')).toBe(true);
    await conversation.interrupt();
    expect(await run).toBe('paused');
    const events = await conversation.getEvents();
    const error = events.find((e) => e.kind === 'AgentErrorEvent');
    expect(error).toMatchObject({ tool_name: 'sleep', error: expect.stringContaining('interrupted') });
    expect(await conversation.run()).toBe('finished');
    await conversation.close();
  });
});

describe('stream and callbacks', () => {
  it('stream() from 0 after the run replays every event once, in order; from an index skips the rest', async () => {
    const conversation = supervisor.conversation({ agent: sleepAgent(), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 1 }), mock.toolCall('sleep', { ms: 1 }), mock.finish('done')]);
    await conversation.sendMessage('go');
    await conversation.run();
    const log = await conversation.getEvents();
    const streamed = [];
    for await (const event of conversation.stream(0, { untilIdle: true })) streamed.push(event);
    expect(streamed.map((e) => e.id)).toEqual(log.map((e) => e.id));
    const tail = [];
    for await (const event of conversation.stream(5, { untilIdle: true })) tail.push(event);
    expect(tail.map((e) => e.id)).toEqual(log.slice(5).map((e) => e.id));
    await conversation.close();
  });

  it('a live stream with a tiny buffer and a slow reader still gets every event once', async () => {
    const conversation = supervisor.conversation({ agent: sleepAgent(), workspace: tempDir() });
    server.setScript(conversation.id, [...Array.from({ length: 10 }, (_, i) => mock.toolCall('sleep', { ms: i + 1 })), mock.finish('done')]);
    const stream = conversation.stream(0, { bufferSize: 2 });
    await conversation.sendMessage('go');
    const run = conversation.run();
    const seen = [];
    for await (const event of stream) {
      seen.push(event);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (event.kind === 'ConversationStateUpdateEvent' && event.value === 'finished') break;
    }
    await run;
    const log = await conversation.getEvents();
    expect(seen.map((e) => e.id)).toEqual(log.slice(0, seen.length).map((e) => e.id));
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    await conversation.close();
  });

  it('callbacks run in event order on the main thread; a throwing one is reported and the run goes on', async () => {
    const order: string[] = [];
    const errors: string[] = [];
    const conversation = supervisor.conversation({
      agent: sleepAgent(),
      workspace: tempDir(),
      callbacks: [
        async (event) => {
          await new Promise((resolve) => setTimeout(resolve, event.kind === 'MessageEvent' ? 20 : 0));
          order.push(event.id);
        },
        (event) => {
          if (event.kind === 'ActionEvent' && event.tool_name === 'sleep') throw new Error('callback bug');
        },
      ],
    });
    conversation.on('error', (error) => errors.push(error.message));
    server.setScript(conversation.id, [mock.toolCall('sleep', { ms: 1 }), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const log = await conversation.getEvents();
    await conversation.close();
    expect(errors).toEqual(['callback bug']);
    expect(order).toEqual(log.map((e) => e.id));
  });
});
