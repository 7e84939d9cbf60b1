import type { MessagePort } from 'node:worker_threads';
import { ConversationActor } from './conversation-actor.js';

export interface ActorTask {
  port: MessagePort;
  init: unknown;
}

/**
 * The piscina task that hosts one conversation actor. It lives as long as the conversation:
 * many such tasks share a thread, since an actor mostly waits on I/O.
 */
export default async function hostActor(task: ActorTask): Promise<void> {
  const actor = await ConversationActor.host(task.port, task.init);
  await actor?.closed;
}
