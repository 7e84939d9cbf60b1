import { type Job, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedisConnection } from './redis-connection.js';

/** What a job's processing came to: a result for the coordinator, or back in line (the worker is stopping; another one continues it). */
export type TaskOutcome = { result: unknown } | { putBack: true };

export interface TaskWorkerOptions {
  url: string;
  /** The queue's name (the coordinator's). Default `troupe`. */
  name?: string;
  /** Jobs processed at once. */
  concurrency: number;
  /**
   * How long a job stays claimed without renewal: a worker that died (kill -9) has its jobs handed
   * to another one about this long after. Default 30 s.
   */
  lockDurationMs?: number;
  /** Processes one job: `id` is the task id, `data` as enqueued (unchecked). */
  process(job: { id: string; data: unknown; attempt: number }): Promise<TaskOutcome>;
}

/**
 * The worker's side of a distributed batch: a BullMQ worker taking up to `concurrency` jobs at a
 * time. BullMQ holds a lock on each job while it runs; a job whose worker died is found stalled by
 * another worker's check and run again there. A job the processor puts back (the worker is
 * stopping) returns to the queue without counting as a failed attempt.
 */
export class TaskWorker {
  readonly worker: Worker;
  readonly #connection: Redis;

  private constructor(worker: Worker, connection: Redis) {
    this.worker = worker;
    this.#connection = connection;
  }

  static async start(options: TaskWorkerOptions): Promise<TaskWorker> {
    const lockDuration = options.lockDurationMs ?? 30_000;
    const connection = createRedisConnection(options.url, { blocking: true });
    const worker = new Worker(
      options.name ?? 'troupe',
      async (job: Job, token?: string) => {
        const outcome = await options.process({ id: job.id!, data: job.data, attempt: job.attemptsStarted });
        if ('result' in outcome) return outcome.result;
        await job.moveToWait(token);
        throw new WaitingError();
      },
      {
        connection,
        concurrency: options.concurrency,
        lockDuration,
        stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
        // A conversation resumes where it stopped, so recovering a stalled job again is safe.
        maxStalledCount: 10,
        autorun: false,
      },
    );
    // Failures of single jobs are reported through the queue; these are the worker's own (connection) errors.
    worker.on('error', () => undefined);
    void worker.run();
    await worker.waitUntilReady();
    return new TaskWorker(worker, connection);
  }

  /** Takes no new job and resolves once the running ones have returned (or been put back). */
  async close(): Promise<void> {
    await this.worker.close();
    await this.#connection.quit().catch(() => this.#connection.disconnect());
  }
}
