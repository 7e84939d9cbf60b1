import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { controlLane } from '../src/control-lane.js';
import { Doorbell } from '../src/doorbell.js';
import { onMail, postMail, ringOnSend, rpcEndpoint } from '../src/port-endpoint.js';

const eventLoopTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('control lane delivery', () => {
  it('RPC and mail reach their listeners once each and in order, whether the lane or the event loop delivers them', async () => {
    const { port1: sender, port2: receiver } = new MessageChannel();
    const received: string[] = [];
    onMail(receiver, (message) => received.push(`mail ${String(message)}`));
    rpcEndpoint(receiver).addEventListener('message', (event: { data: unknown }) => received.push(`rpc ${String(event.data)}`));
    ringOnSend(sender, new Doorbell(controlLane.open(receiver)), { mail: true });
    const rpc = rpcEndpoint(sender);
    const sent: string[] = [];
    for (let round = 0; round < 40; round++) {
      for (let i = 0; i < 5; i++) {
        const body = `${round}.${i}`;
        if (i % 2 === 0) rpc.postMessage(body);
        else postMail(sender, body);
        sent.push(`${i % 2 === 0 ? 'rpc' : 'mail'} ${body}`);
      }
      if (round % 2 === 1) {
        // A busy thread: microtasks only, the lane's polls. The round is delivered without the event loop.
        for (let k = 0; k < 5; k++) {
          controlLane.poll();
          await Promise.resolve();
        }
        expect(received).toEqual(sent);
      } else {
        // An idle thread: the event loop delivers the first message, the lane may take the rest.
        await eventLoopTurn();
      }
    }
    while (received.length < sent.length) await eventLoopTurn();
    // Nothing arrives twice later either.
    await eventLoopTurn();
    expect(received).toEqual(sent);
    controlLane.close(receiver);
    sender.close();
  });

  it('a port nobody listens to keeps its messages until a listener comes', async () => {
    const { port1: sender, port2: receiver } = new MessageChannel();
    ringOnSend(sender, new Doorbell(controlLane.open(receiver)), { mail: true });
    postMail(sender, 'early');
    for (let k = 0; k < 5; k++) {
      controlLane.poll();
      await Promise.resolve();
    }
    const received: unknown[] = [];
    onMail(receiver, (message) => received.push(message));
    while (received.length === 0) await eventLoopTurn();
    expect(received).toEqual(['early']);
    controlLane.close(receiver);
    sender.close();
  });
});
