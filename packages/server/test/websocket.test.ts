import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import WebSocket from 'ws';
import { tempDir, openEventSocket, persisted, snapshots, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

const KEY = 'socket-key';
let llm: MockServer;
let server: TestServer;
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY, socketLimits: { maxBufferedBytes: 64 * 1024, authTimeoutMs: 300 } }, (context) => {
  ({ llm, server } = context);
});

async function conversation(id: string, script = [mock.finish('ok')], run = true): Promise<void> {
  llm.setScript(id, script);
  // The run's end (after its last event) comes a little after the status says finished: wait for it,
  // so that a socket opened next sees no end-of-run snapshot of this run.
  const ended = new Promise<void>((resolve) => {
    const onEnded = (endedId: string) => {
      if (endedId !== id) return;
      server.service.off('run_ended', onEnded);
      resolve();
    };
    if (run) server.service.on('run_ended', onEnded);
    else resolve();
  });
  await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: id, initial_message: userMessage('hello'), run_initial_message: run });
  await ended;
  if (run) await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');
}

/** The whole log, by sequence number (state updates are listed only when asked for). */
const log = async (id: string) => (await server.api('GET', `/api/conversations/${id}/events/search?include_state=true`)).body.items;

describe('authentication', () => {
  it('accepts a first-message auth frame, then sends the full_state snapshot', async () => {
    await conversation('ws-auth');
    const ws = openEventSocket(server.url, 'ws-auth');
    ws.socket.on('open', () => ws.socket.send(JSON.stringify({ type: 'auth', session_api_key: KEY })));
    await expect.poll(() => snapshots(ws.frames).length).toBe(1);
    expect(ws.frames[0]).toMatchObject({ kind: 'ConversationStateUpdateEvent', key: 'full_state', source: 'environment', value: { id: 'ws-auth', execution_status: 'finished' } });
    ws.socket.close();
  });

  it('closes with 4001 on a wrong key (frame, header or query) or no auth in time', async () => {
    await conversation('ws-auth-bad', undefined, false);
    const byFrame = openEventSocket(server.url, 'ws-auth-bad');
    byFrame.socket.on('open', () => byFrame.socket.send(JSON.stringify({ type: 'auth', session_api_key: 'nope' })));
    expect((await byFrame.closed).code).toBe(4001);
    expect((await openEventSocket(server.url, 'ws-auth-bad', '', { 'x-session-api-key': 'nope' }).closed).code).toBe(4001);
    expect((await openEventSocket(server.url, 'ws-auth-bad', 'session_api_key=nope').closed).code).toBe(4001);
    expect((await openEventSocket(server.url, 'ws-auth-bad').closed).code).toBe(4001);
    const notAuth = openEventSocket(server.url, 'ws-auth-bad');
    notAuth.socket.on('open', () => notAuth.socket.send(JSON.stringify(userMessage('sneaky'))));
    expect((await notAuth.closed).code).toBe(4001);
  });

  it('closes with 4004 for an unknown conversation', async () => {
    expect((await openEventSocket(server.url, 'no-such-one', '', { 'x-session-api-key': KEY }).closed).code).toBe(4004);
  });
});

describe('replay and live events', () => {
  it('replays after a sequence number or a time, exactly once and in order', async () => {
    const id = 'ws-replay';
    await conversation(id, [mock.toolCall('think', { thought: 'a' }), mock.finish('ok')]);
    const events = await log(id);
    const since = openEventSocket(server.url, id, 'resend_mode=since&after_seq=2', { 'x-session-api-key': KEY });
    await expect.poll(() => persisted(since.frames).map((event) => event.id)).toEqual(events.slice(3).map((event: any) => event.id));
    const byTime = openEventSocket(server.url, id, `resend_mode=since&after_timestamp=${encodeURIComponent(events[4].timestamp)}`, { 'x-session-api-key': KEY });
    await expect.poll(() => persisted(byTime.frames)[0]?.timestamp >= events[4].timestamp).toBe(true);
    const none = openEventSocket(server.url, id, '', { 'x-session-api-key': KEY });
    await expect.poll(() => none.frames.length).toBe(1);
    // Events are the same bytes as in the REST log.
    expect(JSON.stringify(persisted(since.frames)[0])).toBe(JSON.stringify(events[3]));
    for (const ws of [since, byTime, none]) ws.socket.close();
  });

  it('runs the agent on a message frame; an invalid frame gets a ServerErrorEvent and the socket stays open', async () => {
    const id = 'ws-inbound';
    await conversation(id, [mock.finish('first'), mock.finish('second')]);
    const ws = openEventSocket(server.url, id, '', { 'x-session-api-key': KEY });
    await expect.poll(() => snapshots(ws.frames).length).toBeGreaterThan(0);
    ws.socket.send('not json');
    ws.socket.send(JSON.stringify({ role: 'user', content: 'not a list' }));
    await expect.poll(() => ws.frames.filter((frame) => frame.kind === 'ServerErrorEvent').map((frame) => frame.code)).toEqual(['InvalidJSON', 'ValidationError']);
    ws.socket.send(JSON.stringify({ type: 'auth', session_api_key: KEY }));
    ws.socket.send(JSON.stringify(userMessage('over the socket')));
    // The end of the run is signalled by a full_state that follows the run's last event.
    const afterMessage = () => {
      const index = ws.frames.findIndex((frame) => frame.kind === 'MessageEvent');
      return index === -1 ? [] : ws.frames.slice(index);
    };
    await expect.poll(() => snapshots(afterMessage()).at(-1)?.value.execution_status, { timeout: 10_000 }).toBe('finished');
    expect(ws.frames.at(-1).key).toBe('full_state');
    expect(persisted(afterMessage()).at(-1)).toMatchObject({ key: 'execution_status', value: 'finished' });
    const messages = persisted(ws.frames).filter((event) => event.kind === 'MessageEvent');
    expect(messages[0].llm_message.content[0].text).toBe('over the socket');
    expect(ws.socket.readyState).toBe(WebSocket.OPEN);
    ws.socket.close();
  });
});

describe('backpressure', () => {
  it('disconnects a subscriber that stops reading with 1013 instead of buffering without bound', async () => {
    const id = 'ws-slow';
    await conversation(id, [], false);
    const openServerSockets = () => [...server.app.websocketServer.clients].filter((client) => client.readyState === WebSocket.OPEN).length;
    await expect.poll(openServerSockets).toBe(0);
    const slow = openEventSocket(server.url, id, '', { 'x-session-api-key': KEY });
    const fast = openEventSocket(server.url, id, '', { 'x-session-api-key': KEY });
    await expect.poll(() => slow.frames.length + fast.frames.length).toBe(2);
    // Stop reading: the kernel buffers fill, then the server's send buffer.
    (slow.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    let sent = 0;
    for (; sent < 40 && openServerSockets() === 2; sent++) {
      await server.api('POST', `/api/conversations/${id}/events`, userMessage(`${sent}:${'x'.repeat(200 * 1024)}`));
    }
    await expect.poll(openServerSockets).toBe(1);
    (slow.socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect((await slow.closed).code).toBe(1013);
    // The fast subscriber got every message sent after it connected.
    await expect.poll(() => persisted(fast.frames).filter((event) => event.kind === 'MessageEvent').length).toBe(sent);
    fast.socket.close();
  });
});
