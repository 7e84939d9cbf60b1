import type { MessagePort } from 'node:worker_threads';
import type { Logger } from '@troupe/core';
import { type DelegationReply, DelegationReplySchema, type DelegationRequest } from './delegation-mail.js';
import { parseMailboxMessage } from './mailbox.js';
import { postMail } from './port-endpoint.js';

/** A delegation request as the tool writes it; the call id and version are added when it is sent. */
export type DelegationRequestBody = DelegationRequest extends infer R ? (R extends unknown ? Omit<R, 'v' | 'callId'> : never) : never;

/** The actor's end of the delegation protocol: one request, one reply, matched by call id (as client tool calls are). */
export class DelegationCaller {
  readonly #port: MessagePort;
  readonly #calls = new Map<string, (reply: DelegationReply) => void>();
  #nextCallId = 0;

  constructor(port: MessagePort) {
    this.#port = port;
  }

  request(body: DelegationRequestBody): Promise<DelegationReply> {
    const callId = String(this.#nextCallId++);
    return new Promise((resolve) => {
      this.#calls.set(callId, resolve);
      postMail(this.#port, { v: 1, ...body, callId });
    });
  }

  /** A reply from the handle; a malformed one is logged and dropped. */
  onMail(raw: unknown, logger: Logger): void {
    let reply: DelegationReply;
    try {
      reply = parseMailboxMessage(DelegationReplySchema, raw, 'delegation reply');
    } catch (error) {
      logger.warn((error as Error).message);
      return;
    }
    const resolve = this.#calls.get(reply.callId);
    this.#calls.delete(reply.callId);
    resolve?.(reply);
  }
}
