import { MessageChannel } from 'node:worker_threads';
import { wrap } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { MAILBOX_VERSION } from '@troupe/workers';
import { ConversationActor, type ActorRemote } from '../src/conversation-actor.js';
import { rpcEndpoint } from '../src/port-endpoint.js';
import { mockAgent, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

describe('mailbox protocol', () => {
  it('a malformed message gets a typed error and the actor keeps working', async () => {
    const { port1, port2 } = new MessageChannel();
    const init = { v: MAILBOX_VERSION, conversationId: 'mailbox-test', agent: mockAgent(server).config, workspace: tempDir() };
    const actor = await ConversationActor.host(port2, init);
    expect(actor).not.toBeNull();
    const remote = wrap<ActorRemote>(rpcEndpoint(port1));
    for (const bad of [{}, { v: 99, type: 'run' }, { v: MAILBOX_VERSION, type: 'launch_missiles' }, { v: MAILBOX_VERSION, type: 'send_message', message: 42 }]) {
      const error = await remote.dispatch(bad).catch((e: Error) => e);
      expect(error).toMatchObject({ name: 'MailboxError', message: expect.stringContaining('mailbox v1') });
    }
    server.setScript('mailbox-test', [mock.text('still alive')]);
    await remote.dispatch({ v: MAILBOX_VERSION, type: 'send_message', message: 'hi' });
    expect(await remote.dispatch({ v: MAILBOX_VERSION, type: 'run' })).toBe('finished');
    await remote.dispatch({ v: MAILBOX_VERSION, type: 'close' });
    port1.close();
  });

  it('an invalid init is reported as init_failed, not a crash', async () => {
    const { port1, port2 } = new MessageChannel();
    const messages: unknown[] = [];
    port1.on('message', (message) => messages.push(message));
    expect(await ConversationActor.host(port2, { v: MAILBOX_VERSION, conversationId: '' })).toBeNull();
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toMatchObject({ ch: 'mail', msg: { type: 'init_failed', error: { name: 'MailboxError' } } });
    port1.close();
  });
});
