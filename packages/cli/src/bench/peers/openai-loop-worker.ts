import { parentPort, workerData } from 'node:worker_threads';
import { loopClient, loopConversations } from './openai-loop-runner.js';
import type { PeerTask } from './peer-task.js';

/** A worker thread of the threaded loop: runs the conversations (ids) it is sent, answers their outcomes. */

const task = workerData as PeerTask;
const client = loopClient(task);
const port = parentPort!;

port.on('message', (ids: string[]) => {
  loopConversations(client, task, ids).then(
    (outcomes) => port.postMessage({ outcomes }),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
