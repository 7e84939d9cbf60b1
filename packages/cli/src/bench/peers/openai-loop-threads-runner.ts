import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { conversationIds, type PeerOutcome, type PeerRunnerFactory } from './peer-runner.js';

const WORKER_URL = new URL('./openai-loop-worker.js', import.meta.url);

type WorkerAnswer = { outcomes: PeerOutcome[] } | { error: string };

/** The hand-written `openai` loop spread over `threads` worker threads, the conversations dealt round-robin. */
export const createRunner: PeerRunnerFactory = async (task) => {
  const workers = Array.from({ length: task.threads }, () => new Worker(WORKER_URL, { workerData: task }));
  const runOn = async (worker: Worker, ids: string[]): Promise<PeerOutcome[]> => {
    const answered = once(worker, 'message') as Promise<[WorkerAnswer]>;
    worker.postMessage(ids);
    const [answer] = await answered;
    if ('error' in answer) throw new Error(`A loop worker thread failed: ${answer.error}`);
    return answer.outcomes;
  };
  return {
    async run(count, idPrefix, clock) {
      const ids = conversationIds(count, idPrefix);
      const shares = workers.map((_, w) => ids.filter((__, i) => i % workers.length === w));
      clock.start();
      const outcomes = await Promise.all(workers.map((worker, w) => runOn(worker, shares[w]!)));
      clock.stop();
      return outcomes.flat();
    },
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
};
