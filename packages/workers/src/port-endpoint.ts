import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import { controlLane } from './control-lane.js';
import type { Doorbell } from './doorbell.js';
import { installErrorTransfer } from './error-transfer.js';

installErrorTransfer();

/**
 * One MessagePort per actor carries two streams: comlink RPC (`rpc`) and plain mailbox messages
 * (`mail`: event batches, client tool calls). Each message is wrapped in `{ ch, msg }`. Messages
 * reach their listeners through this thread's control lane, which may take them early; each
 * message sent or delivered polls the lane.
 */
export type PortEnvelope = { ch: 'rpc'; msg: unknown } | { ch: 'mail'; msg: unknown };

type Listener = (event: { data: unknown }) => void;

/** The doorbell the other end watches: rung after each RPC message, and after mail when `mail`. */
const doorbells = new WeakMap<MessagePort, { bell: Doorbell; mail: boolean }>();

/** Rings `bell` after the messages sent on `port` that its receiver should take ahead of other work. */
export function ringOnSend(port: MessagePort, bell: Doorbell, which: { mail: boolean }): void {
  doorbells.set(port, { bell, mail: which.mail });
}

/** A comlink endpoint over the `rpc` stream of a port. */
export function rpcEndpoint(port: MessagePort): Endpoint {
  const listeners = new Map<unknown, (envelope: unknown) => void>();
  return {
    postMessage(message: unknown, transfer?: readonly unknown[]) {
      port.postMessage({ ch: 'rpc', msg: message } satisfies PortEnvelope, (transfer ?? []) as never);
      doorbells.get(port)?.bell.ring();
      controlLane.poll();
    },
    addEventListener(_type: string, listener: unknown) {
      const wrapped = (data: unknown) => {
        const envelope = data as PortEnvelope;
        if (envelope?.ch !== 'rpc') return;
        const event = { data: envelope.msg };
        if (typeof listener === 'function') (listener as Listener)(event);
        else (listener as { handleEvent: Listener }).handleEvent(event);
      };
      listeners.set(listener, wrapped);
      controlLane.listen(port, wrapped);
    },
    removeEventListener(_type: string, listener: unknown) {
      const wrapped = listeners.get(listener);
      if (!wrapped) return;
      controlLane.unlisten(port, wrapped);
      listeners.delete(listener);
    },
  };
}

export function postMail(port: MessagePort, message: unknown): void {
  port.postMessage({ ch: 'mail', msg: message } satisfies PortEnvelope);
  const doorbell = doorbells.get(port);
  if (doorbell?.mail) doorbell.bell.ring();
  // A thread sends mail often when busy (an actor thread's event batches: hundreds in a row after a burst).
  controlLane.poll();
}

export function onMail(port: MessagePort, handler: (message: unknown) => void): void {
  controlLane.listen(port, (data) => {
    const envelope = data as PortEnvelope;
    if (envelope?.ch === 'mail') handler(envelope.msg);
  });
}
