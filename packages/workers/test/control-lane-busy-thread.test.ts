import { MessageChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { wrap } from 'comlink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSnapshot } from '@troupe/core';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { MAILBOX_VERSION } from '@troupe/workers';
import { ConversationActor, type ActorRemote } from '../src/conversation-actor.js';
import { Doorbell } from '../src/doorbell.js';
import { ringOnSend, rpcEndpoint } from '../src/port-endpoint.js';
import { mockAgent, tempDir } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

/** Hosts an actor on this thread, as its worker thread would; `handle` is the handle's end of its port. */
async function hostActor(conversationId: string): Promise<{ actor: ConversationActor; handle: MessagePort }> {
  const { port1, port2 } = new MessageChannel();
  const init = { v: MAILBOX_VERSION, conversationId, agent: mockAgent(server).config, workspace: tempDir() };
  const actor = await ConversationActor.host(port2, init);
  if (!actor) throw new Error(`${conversationId} did not start`);
  // The handle's side: the first mail is `ready`, with the doorbell to ring with each call.
  const ready = receiveMessageOnPort(port1)?.message as { msg: { type: string; doorbell: never } };
  expect(ready.msg.type).toBe('ready');
  ringOnSend(port1, new Doorbell(ready.msg.doorbell), { mail: true });
  return { actor, handle: port1 };
}

const command = (body: Record<string, unknown>) => ({ v: MAILBOX_VERSION, ...body });

describe('control lane on a busy thread', () => {
  it('an interrupt is dispatched while the thread works through other actors without ever returning to its event loop', async () => {
    const probe = await hostActor('lane-probe');
    const busy = await hostActor('lane-busy');
    const remote = wrap<ActorRemote>(rpcEndpoint(probe.handle));
    // The probe's model call hangs until aborted.
    server.setScript('lane-probe', [{ ...mock.finish('never sent'), faults: [{ type: 'hang' }] }]);
    await remote.dispatch(command({ type: 'send_message', message: 'go' }));
    const run = remote.dispatch(command({ type: 'run' }));
    await server.waitForRequests(1, { conversationId: 'lane-probe' });

    let eventLoopTurned = false;
    setImmediate(() => (eventLoopTurned = true));
    const interrupted = remote.dispatch(command({ type: 'interrupt' }));
    // A burst: another actor of the thread appends event after event, awaiting only microtasks,
    // so the port's 'message' event cannot fire; only the lane can deliver the interrupt.
    let status: string | undefined;
    for (let i = 0; i < 200 && status !== 'paused'; i++) {
      await busy.actor.dispatch(command({ type: 'send_message', message: `busy ${i}` }));
      status = ((await probe.actor.dispatch(command({ type: 'get_snapshot' }))) as ConversationSnapshot).status;
    }
    expect(eventLoopTurned).toBe(false);
    expect(status).toBe('paused');

    await interrupted;
    expect(await run).toBe('paused');
    await remote.dispatch(command({ type: 'close' }));
    await busy.actor.dispatch(command({ type: 'close' }));
  });
});
