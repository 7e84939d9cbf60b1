import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { type Remote, releaseProxy, wrap } from 'comlink';
import { type ConversationSnapshot, reviveError, type SerializedError } from '@troupe/core';
import type { Piscina } from 'piscina';
import type { ActorTask } from './actor-worker.js';
import { controlLane } from './control-lane.js';
import type { ActorRemote } from './conversation-actor.js';
import { Doorbell } from './doorbell.js';
import { type ActorOutbound, MAILBOX_VERSION } from './mailbox.js';
import { onMail, ringOnSend, rpcEndpoint } from './port-endpoint.js';

export interface ActorReady {
  threadId: number;
  resumed: boolean;
  snapshot: ConversationSnapshot;
}

/** The main thread's end of one actor: its RPC proxy, its port, and its piscina task. */
export class ActorConnection {
  #inflight = 0;
  #disposed = false;

  private constructor(
    readonly remote: Remote<ActorRemote>,
    readonly port: MessagePort,
    /** Settles when the actor's task ends: resolves on close, rejects when its thread died. */
    readonly task: Promise<void>,
    readonly ready: ActorReady,
  ) {}

  /**
   * Starts an actor as a long-running task on `pool` and waits for it to report ready.
   * `onMail` receives every later mailbox message (event batches, client tool calls).
   */
  static async start(pool: Piscina, init: unknown, onMail_: (message: ActorOutbound) => void): Promise<ActorConnection> {
    const { port1, port2 } = new MessageChannel();
    // The actor rings after each reply, so that this thread takes it (and the mail before it) ahead of other ports' mail.
    const doorbell = controlLane.open(port1);
    const task = pool.run({ port: port2, init, doorbell } satisfies ActorTask, { transferList: [port2] as never }) as Promise<void>;
    // The worker must not keep the process alive by itself: only pending calls do (see `track`).
    for (const thread of pool.threads) thread.unref();
    port1.unref();
    return new Promise<ActorConnection>((resolve, reject) => {
      let connection: ActorConnection | null = null;
      task.catch((error: unknown) => {
        // A dead thread's port would otherwise stay referenced (and keep the process alive) forever.
        if (connection) connection.dispose();
        else {
          controlLane.close(port1);
          port1.close();
        }
        reject(error);
      });
      onMail(port1, (raw) => {
        const message = raw as ActorOutbound;
        if (message?.v !== MAILBOX_VERSION) return;
        if (message.type === 'ready') {
          const { threadId, resumed, snapshot } = message;
          // Every call and every mail to the actor rings its thread, which then takes them ahead of its burst of work.
          ringOnSend(port1, new Doorbell(message.doorbell), { mail: true });
          connection = new ActorConnection(wrap<ActorRemote>(rpcEndpoint(port1)), port1, task, { threadId, resumed, snapshot });
          resolve(connection);
        } else if (message.type === 'init_failed') {
          reject(reviveError(message.error as unknown as SerializedError));
        } else {
          onMail_(message);
        }
      });
    });
  }

  /** Keeps the process alive while a call is pending, and only then. */
  async track<T>(call: Promise<T>): Promise<T> {
    if (this.#inflight++ === 0) this.port.ref();
    try {
      return await call;
    } finally {
      if (--this.#inflight === 0) this.port.unref();
    }
  }

  /**
   * Releases the RPC proxy, then closes the port. comlink's FinalizationRegistry holds the
   * endpoint (and through it this connection) until the proxy is released: without this, every
   * closed conversation would stay in memory.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.remote[releaseProxy]();
    controlLane.close(this.port);
    this.port.close();
  }
}
