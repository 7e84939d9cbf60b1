import { describe, expect, it } from 'vitest';
import { Agent, type Event, LLM } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { RemoteConversation } from '@troupe/server';
import { tempDir, type TestServer, useTestServer } from './helpers.js';

const KEY = 'remote-key';
let llm: MockServer;
let server: TestServer;
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY }, (context) => {
  ({ llm, server } = context);
});

const agent = () => new Agent({ llm: new LLM({ model: 'openai/mock-model', baseUrl: llm.url, apiKey: 'test-key', retryMinDelayMs: 5, retryMaxDelayMs: 20 }) });
const remote = (conversationId: string) =>
  new RemoteConversation({ serverUrl: server.url, sessionApiKey: KEY, agent: agent(), workspace: tempDir(), conversationId, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });

describe('RemoteConversation', () => {
  it('runs the local scenario: send, run, message mid-run, pause, interrupt, stream, state', async () => {
    const id = 'remote-life';
    llm.setScript(id, [
      mock.toolCall('think', { thought: 'first' }, { latencyMs: 300 }),
      mock.finish('done'),
      mock.toolCall('think', { thought: 'slow' }, { latencyMs: 300 }),
      mock.finish('after pause', { faults: [{ type: 'hang' }] }),
    ]);
    const conversation = remote(id);
    const seen: { event: Event; seq: number | null }[] = [];
    const statuses: string[] = [];
    conversation.on('event', (event, seq) => seen.push({ event, seq }));
    conversation.on('status', (status) => statuses.push(status));
    await conversation.ready();
    expect(conversation.state).toMatchObject({ id, status: 'idle', eventCount: 0 });

    const ack = await conversation.sendMessage('start');
    expect(ack.queued).toBe(false);
    const run = conversation.run();
    await llm.waitForRequests(1, { conversationId: id });
    expect((await conversation.sendMessage('mid-run')).queued).toBe(true);
    expect(await run).toBe('finished');
    expect(conversation.status).toBe('finished');
    expect(statuses).toContain('running');
    expect(JSON.stringify(llm.requestsFor(id)[1]!.body.messages)).toContain('mid-run');

    // Pause lets the slow call finish, then interrupt aborts a hanging one; run resumes.
    await conversation.sendMessage('more');
    const second = conversation.run();
    await llm.waitForRequests(3, { conversationId: id });
    await conversation.pause();
    expect(await second).toBe('paused');
    const third = conversation.run();
    await llm.waitForRequests(4, { conversationId: id });
    await conversation.interrupt();
    expect(await third).toBe('paused');
    expect(await conversation.run()).toBe('finished');

    const history: Event[] = [];
    for await (const event of conversation.stream(0, { untilIdle: true })) history.push(event);
    // The whole log: state updates are listed only when asked for.
    const rest = (await server.api('GET', `/api/conversations/${id}/events/search?limit=100&include_state=true`)).body.items;
    expect(history.map((event) => event.id)).toEqual(rest.map((event: any) => event.id));
    // Live events came once each, numbered by their place in the log.
    await expect.poll(() => seen.length).toBe(rest.length);
    expect(seen.map(({ seq }) => seq)).toEqual(rest.map((_: unknown, index: number) => index));
    expect(conversation.state.eventCount).toBe(rest.length);
    expect(conversation.stats.usage_to_metrics.agent?.accumulated_token_usage.prompt_tokens).toBeGreaterThan(0);

    await conversation.setTitle('Remote title');
    expect((await server.api('GET', `/api/conversations/${id}`)).body.title).toBe('Remote title');
    await conversation.delete();
    expect((await server.api('GET', `/api/conversations/${id}`)).status).toBe(404);
  });

  it('reconnects after a dropped socket and resumes after the last event it saw', async () => {
    const id = 'remote-reconnect';
    llm.setScript(id, [mock.finish('one'), mock.finish('two')]);
    const conversation = remote(id);
    const seqs: (number | null)[] = [];
    conversation.on('event', (_event, seq) => seqs.push(seq));
    await conversation.sendMessage('first');
    expect(await conversation.run()).toBe('finished');
    for (const client of server.app.websocketServer.clients) client.terminate();
    await conversation.sendMessage('second');
    expect(await conversation.run()).toBe('finished');
    const count = (await server.api('GET', `/api/conversations/${id}/events/count?include_state=true`)).body;
    await expect.poll(() => seqs.length).toBe(count);
    expect(seqs).toEqual(Array.from({ length: count }, (_, index) => index));
    conversation.close();
  });

  it('re-attaches to an existing conversation by id and fails fast on a bad key', async () => {
    const id = 'remote-attach';
    llm.setScript(id, [mock.finish('hello')]);
    const first = remote(id);
    await first.sendMessage('hi');
    expect(await first.run()).toBe('finished');
    first.close();
    const again = new RemoteConversation({ serverUrl: server.url, sessionApiKey: KEY, conversationId: id });
    await again.ready();
    expect(again.state).toMatchObject({ id, status: 'finished' });
    const history: Event[] = [];
    for await (const event of again.stream(0, { untilIdle: true })) history.push(event);
    expect(history.at(-1)).toMatchObject({ kind: 'ConversationStateUpdateEvent', key: 'execution_status', value: 'finished' });
    again.close();
    await expect(new RemoteConversation({ serverUrl: server.url, sessionApiKey: 'wrong', conversationId: id }).ready()).rejects.toThrow(/401/);
  });

  it('streams the reply to on("delta") listeners as StreamingDeltaEvents, which are not in the log', async () => {
    const id = 'remote-delta';
    llm.setScript(id, [mock.text('Streamed over the socket.')]);
    const conversation = new RemoteConversation({
      serverUrl: server.url,
      sessionApiKey: KEY,
      agent: new Agent({ llm: new LLM({ model: 'openai/mock-model', baseUrl: llm.url, apiKey: 'test-key', stream: true }) }),
      workspace: tempDir(),
      conversationId: id,
    });
    const pieces: string[] = [];
    conversation.on('delta', (event) => pieces.push(event.content ?? ''));
    await conversation.sendMessage('stream please');
    expect(await conversation.run()).toBe('finished');
    await expect.poll(() => pieces.join('')).toBe('Streamed over the socket.');
    expect((await conversation.getEvents()).some((event) => event.kind === 'StreamingDeltaEvent')).toBe(false);
    conversation.close();
  });
});
