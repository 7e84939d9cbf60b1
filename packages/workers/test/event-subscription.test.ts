import { BroadcastChannel } from 'node:worker_threads';
import type { Event } from '@troupe/core';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mockAgent, tempDir } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
let channel: BroadcastChannel;
let batches: { events: number }[];
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());
afterEach(async () => {
  channel.close();
  await supervisor.close();
});

function start(): void {
  batches = [];
  channel = new BroadcastChannel('troupe-test-mail');
  channel.onmessage = (message) => batches.push((message as { data: (typeof batches)[number] }).data);
  supervisor = new Supervisor({ threads: 1, workerImports: [new URL('./fixtures/mail-broadcast.mjs', import.meta.url).href] });
}

const think = (n: number) => Array.from({ length: n }, (_, i) => mock.toolCall('think', { thought: `step ${i}` }));

describe('events go to the main thread only when someone subscribed', () => {
  it('a conversation nobody listens to posts no events (the snapshot or progress says how far its log got); its state still follows the log', async () => {
    start();
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    server.setScript(conversation.id, [...think(5), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const log = await conversation.getEvents();
    expect(conversation.state.eventCount).toBe(log.length);
    expect(conversation.state.updatedAt >= log.at(-1)!.timestamp).toBe(true);
    await expect.poll(() => batches.length).toBeGreaterThan(0);
    expect(batches.reduce((sum, batch) => sum + batch.events, 0)).toBe(0);
  });

  it('callbacks subscribe from the start: every event is posted and each callback sees the whole log in order', async () => {
    start();
    const seen: Event[] = [];
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), callbacks: [(event) => void seen.push(event)] });
    server.setScript(conversation.id, [...think(3), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    await conversation.close();
    const posted = batches.reduce((sum, batch) => sum + batch.events, 0);
    expect(seen.map((event) => event.id)).toEqual(seen.map((event) => event.id).filter((id, index, all) => all.indexOf(id) === index));
    expect(posted).toBe(seen.length);
    expect(seen.length).toBe(conversation.state.eventCount);
  });

  it('a listener added while the run goes on gets every event from the count the handle knew, none lost or twice; a stream from 0 reads the rest from the log', async () => {
    start();
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    server.setScript(conversation.id, [...think(20), mock.finish('done')]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await expect.poll(() => conversation.state.eventCount, { interval: 1 }).toBeGreaterThan(8);
    const seqs: number[] = [];
    const knownAtSubscription = conversation.state.eventCount;
    conversation.on('event', (_event, seq) => {
      if (seq !== null) seqs.push(seq);
    });
    expect(await run).toBe('finished');
    const log = await conversation.getEvents();
    expect(seqs[0]).toBe(knownAtSubscription);
    expect(seqs).toEqual(Array.from({ length: log.length - knownAtSubscription }, (_, i) => knownAtSubscription + i));
    const streamed: string[] = [];
    for await (const event of conversation.stream(0, { untilIdle: true })) streamed.push(event.id);
    expect(streamed).toEqual(log.map((event) => event.id));
  });
});
