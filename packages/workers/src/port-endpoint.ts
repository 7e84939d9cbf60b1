import type { MessagePort } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import { installErrorTransfer } from './error-transfer.js';

installErrorTransfer();

/**
 * One MessagePort per actor carries two streams: comlink RPC (`rpc`) and plain mailbox messages
 * (`mail`: event batches, client tool calls). Each message is wrapped in `{ ch, msg }`.
 */
export type PortEnvelope = { ch: 'rpc'; msg: unknown } | { ch: 'mail'; msg: unknown };

type Listener = (event: { data: unknown }) => void;

/** A comlink endpoint over the `rpc` stream of a port. */
export function rpcEndpoint(port: MessagePort): Endpoint {
  const listeners = new Map<unknown, (envelope: PortEnvelope) => void>();
  return {
    postMessage(message: unknown, transfer?: readonly unknown[]) {
      port.postMessage({ ch: 'rpc', msg: message } satisfies PortEnvelope, (transfer ?? []) as never);
    },
    addEventListener(_type: string, listener: unknown) {
      const wrapped = (envelope: PortEnvelope) => {
        if (envelope?.ch !== 'rpc') return;
        const event = { data: envelope.msg };
        if (typeof listener === 'function') (listener as Listener)(event);
        else (listener as { handleEvent: Listener }).handleEvent(event);
      };
      listeners.set(listener, wrapped);
      port.on('message', wrapped);
    },
    removeEventListener(_type: string, listener: unknown) {
      const wrapped = listeners.get(listener);
      if (!wrapped) return;
      port.off('message', wrapped);
      listeners.delete(listener);
    },
  };
}

export function postMail(port: MessagePort, message: unknown): void {
  port.postMessage({ ch: 'mail', msg: message } satisfies PortEnvelope);
}

export function onMail(port: MessagePort, handler: (message: unknown) => void): void {
  port.on('message', (envelope: PortEnvelope) => {
    if (envelope?.ch === 'mail') handler(envelope.msg);
  });
}
