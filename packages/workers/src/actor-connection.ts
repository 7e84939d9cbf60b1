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
}

/** A started actor: its connection, and the snapshot it reported when ready (not kept by the connection). */
export interface ActorStarted {
  connection: ActorConnection;
  snapshot: ConversationSnapshot;
}

/** The main thread's end of one actor: its RPC proxy, its port, and its piscina task. */
export class ActorConnection {
  #inflight = 0;
  #disposed = false;
  /** Made on the first call: an idle conversation's handle holds no proxy (nor its listener on the port). */
  #remote: Remote<ActorRemote> | undefined;

  private constructor(
    readonly port: MessagePort,
    /** Settles when the actor's task ends: resolves on close, rejects when its thread died. */
    readonly task: Promise<void>,
    readonly ready: ActorReady,
  ) {}

  /**
   * Starts an actor as a long-running task on `pool` and waits for it to report ready.
   * `onMail` receives every later mailbox message (event batches, client tool calls).
   */
  static async start(pool: Piscina, init: unknown, onMail_: (message: ActorOutbound) => void): Promise<ActorStarted> {
    const { port1, port2 } = new MessageChannel();
    // The actor rings after each reply, so that this thread takes it (and the mail before it) ahead of other ports' mail.
    const doorbell = controlLane.open(port1);
    const transferList = [port2];
    const task = pool.run({ port: port2, init, doorbell } satisfies ActorTask, { transferList: transferList as never }) as Promise<void>;
    // The worker must not keep the process alive by itself: only pending calls do (see `track`).
    for (const thread of pool.threads) thread.unref();
    port1.unref();
    return new Promise<ActorStarted>((resolve, reject) => {
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
          // The task was posted to its thread (its actor is ready): piscina keeps the task's
          // transfer list as long as it runs, which would keep the moved port's object here.
          transferList.length = 0;
          connection = new ActorConnection(port1, task, { threadId, resumed });
          resolve({ connection, snapshot });
        } else if (message.type === 'init_failed') {
          reject(reviveError(message.error as unknown as SerializedError));
        } else {
          onMail_(message);
        }
      });
    });
  }

  /** The actor's RPC proxy (made on first use). */
  get remote(): Remote<ActorRemote> {
    this.#remote ??= wrap<ActorRemote>(rpcEndpoint(this.port));
    return this.#remote;
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
    this.#remote?.[releaseProxy]();
    controlLane.close(this.port);
    this.port.close();
  }
}
