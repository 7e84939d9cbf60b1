import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { assertReachable, createRedisConnection } from './redis-connection.js';
import { SharedBudget } from './shared-budget.js';

export interface TaskQueueOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /** The queue's name; each batch that must not mix with another has its own. Default `troupe`. */
  name?: string;
}

/** How a job ended: the value its worker returned, or why it failed for good. */
export type JobOutcome = { kind: 'completed'; value: unknown } | { kind: 'failed'; reason: string };

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

/** Keys of one queue's own records (budget, conversations), beside BullMQ's. */
export function queuePrefix(name: string): string {
  return `troupe:${name}:`;
}

/** Job states asked per round trip. */
const CHUNK = 200;

/**
 * The coordinator's side of a distributed batch, on BullMQ: tasks become jobs whose id is the task
 * id (so enqueuing twice adds nothing, and a job stays after it ends, with its result), outcomes
 * are followed live (`QueueEvents`) and read back at any time (`outcomes`), and the budget is shared.
 */
export class TaskQueue {
  readonly name: string;
  readonly queue: Queue;
  readonly budget: SharedBudget;
  /** Prefix of this queue's conversations in Redis (`RedisConversationStorage`'s `prefix`). */
  readonly storagePrefix: string;
  readonly #redis: Redis;
  readonly #url: string;
  #events: { events: QueueEvents; connection: Redis } | undefined;

  private constructor(url: string, name: string, redis: Redis) {
    this.name = name;
    this.#url = url;
    this.#redis = redis;
    this.queue = new Queue(name, { connection: redis });
    this.storagePrefix = queuePrefix(name);
    this.budget = new SharedBudget(redis, this.storagePrefix);
  }

  static async connect(options: TaskQueueOptions): Promise<TaskQueue> {
    const redis = createRedisConnection(options.url);
    try {
      await assertReachable(redis, options.url);
    } catch (error) {
      redis.disconnect();
      throw error;
    }
    return new TaskQueue(options.url, options.name ?? 'troupe', redis);
  }

  /** The ids among `ids` that already have a job here, in any state. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const states = await Promise.all(chunk.map((id) => this.queue.getJobState(id)));
      states.forEach((state, index) => state !== 'unknown' && found.add(chunk[index]!));
    }
    return found;
  }

  /** Adds one job per item, id = the item's id; an id that has a job already is left as it is. */
  async enqueue(items: readonly { id: string; data: unknown }[]): Promise<void> {
    for (let i = 0; i < items.length; i += CHUNK) {
      const chunk = items.slice(i, i + CHUNK);
      // Kept when ended: the id stays taken (idempotence) and the result stays readable.
      await this.queue.addBulk(chunk.map((item) => ({ name: 'task', data: item.data, opts: { jobId: item.id, attempts: 5, backoff: { type: 'fixed', delay: 1_000 } } })));
    }
  }

  /** The outcomes of the jobs among `ids` that ended (the others are missing from the map). */
  async outcomes(ids: readonly string[]): Promise<Map<string, JobOutcome>> {
    const ended = new Map<string, JobOutcome>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const states = await Promise.all(chunk.map((id) => this.queue.getJobState(id)));
      await Promise.all(
        chunk.map(async (id, index) => {
          const state = states[index];
          if (state !== 'completed' && state !== 'failed') return;
          const job = await Job.fromId(this.queue, id);
          if (job) ended.set(id, state === 'completed' ? { kind: 'completed', value: job.returnvalue } : { kind: 'failed', reason: job.failedReason ?? 'failed' });
        }),
      );
    }
    return ended;
  }

  /** Calls `listener` with every job that ends from now on (the `outcomes` of a job read again on each). */
  async follow(listener: (id: string, outcome: JobOutcome) => void): Promise<void> {
    const connection = createRedisConnection(this.#url, { blocking: true });
    const events = new QueueEvents(this.name, { connection });
    this.#events = { events, connection };
    const deliver = async (id: string) => {
      const outcome = (await this.outcomes([id])).get(id);
      if (outcome) listener(id, outcome);
    };
    events.on('completed', ({ jobId }) => void deliver(jobId).catch(() => undefined));
    events.on('failed', ({ jobId }) => void deliver(jobId).catch(() => undefined));
    await events.waitUntilReady();
  }

  /** Puts ended jobs back in line to run again (`--retry-failed`); returns how many were. */
  async retry(ids: readonly string[]): Promise<number> {
    let retried = 0;
    for (const id of ids) {
      const job = await Job.fromId(this.queue, id);
      const state = job ? await job.getState() : 'unknown';
      if (!job || (state !== 'completed' && state !== 'failed')) continue;
      await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
      retried++;
    }
    return retried;
  }

  async counts(): Promise<QueueCounts> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
    return { waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0 };
  }

  /** Stops following and closes the connections; the queue and its jobs stay in Redis. */
  async close(): Promise<void> {
    if (this.#events) {
      await this.#events.events.close();
      this.#events.connection.disconnect();
    }
    await this.queue.close();
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
