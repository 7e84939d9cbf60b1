import type { MessagePort } from 'node:worker_threads';
import { errorMessage } from '@troupe/core';
import { workerData } from 'piscina';
import { ConversationActor } from './conversation-actor.js';
import { controlLane } from './control-lane.js';
import { Doorbell, DoorbellSchema, type DoorbellSpec } from './doorbell.js';
import { ringOnSend } from './port-endpoint.js';

export interface ActorTask {
  port: MessagePort;
  init: unknown;
  /** The main thread's doorbell of this port: rung after each reply, so it is taken ahead of other mail. */
  doorbell: DoorbellSpec;
}

/**
 * The piscina task that hosts one conversation actor. It lives as long as the conversation:
 * many such tasks share a thread, since an actor mostly waits on I/O.
 */
export default function hostActor(task: ActorTask): Promise<void> {
  return openActor(task)
    .then((actor) => actor?.closed)
    .finally(() => controlLane.close(task.port));
}

/**
 * Opens the actor, taking the init message out of the task: piscina holds the task for as long as
 * it runs (the conversation's life), and the actor keeps what it needs of the init itself.
 */
async function openActor(task: ActorTask): Promise<ConversationActor | null> {
  await threadReady;
  ringOnSend(task.port, new Doorbell(DoorbellSchema.parse(task.doorbell)), { mail: false });
  const { init } = task;
  task.init = undefined;
  return ConversationActor.host(task.port, init);
}

/** The supervisor's `workerImports`, imported once per thread, in order, before its first actor. */
const threadReady = (async () => {
  const imports = (workerData as { imports?: string[] } | undefined)?.imports ?? [];
  for (const url of imports) {
    try {
      await import(url);
    } catch (error) {
      throw new Error(`The worker module ${url} (Supervisor option workerImports) failed to import: ${errorMessage(error)}`);
    }
  }
})();
// Reported by each task that awaits it; never an unhandled rejection of the thread.
threadReady.catch(() => undefined);
