import type { JobOutcome, TaskQueue } from '@troupe/redis';
import type { BatchCounts } from '../batch/batch-runner.js';
import type { BatchProgress } from '../batch/progress.js';
import { isSettled, type ResultsWriter, type TaskResult, TaskResultSchema } from '../batch/results-file.js';
import type { BatchTask } from '../batch/task-file.js';
import { emptyResult } from '../batch/task-run.js';
import type { QueueJob } from './queue-job.js';

export interface QueueBatchOptions {
  queue: TaskQueue;
  /** The tasks still to report (those without a settled result in the results file). */
  tasks: readonly BatchTask[];
  /** Fields of every job but its task. */
  jobDefaults: Omit<QueueJob, 'task'>;
  resume: boolean;
  retryFailed: boolean;
  writer: ResultsWriter;
  progress: BatchProgress;
  /** How often the coordinator reads the queue's counts and checks for outcomes it was not told of. */
  pollMs?: number;
}

export interface QueueBatchOutcome extends BatchCounts {
  /** True when Ctrl-C stopped the following (the queue and the workers go on). */
  stopped: boolean;
}

/** The result line of a job that ended: what its worker returned, or an error naming why it failed. */
export function resultOfOutcome(task: BatchTask, outcome: JobOutcome): TaskResult {
  if (outcome.kind === 'failed') return { ...emptyResult(task, 'error'), error: `The task failed on its worker: ${outcome.reason}` };
  const parsed = TaskResultSchema.safeParse(outcome.value);
  if (parsed.success && parsed.data.id === task.id) return parsed.data;
  return { ...emptyResult(task, 'error'), error: 'The worker returned no valid result line for this task.' };
}

/**
 * The coordinator of a distributed batch: enqueues the tasks (job id = task id: enqueuing again
 * adds nothing), then writes one result line per task as its job ends, whichever worker ran it,
 * and shows progress. On resume, jobs that ended while no coordinator followed are written first,
 * and jobs whose result is not settled (skipped; with `retryFailed`, failed ones) run again.
 */
export class QueueBatch {
  readonly #options: QueueBatchOptions;
  readonly #pending = new Map<string, BatchTask>();
  #counts: BatchCounts;
  #stop: (() => void) | undefined;
  #stopped = false;

  constructor(options: QueueBatchOptions) {
    this.#options = options;
    for (const task of options.tasks) this.#pending.set(task.id, task);
    this.#counts = { total: options.tasks.length, running: 0, finished: 0, failed: 0, skipped: 0, cost: 0 };
  }

  get counts(): BatchCounts {
    return this.#counts;
  }

  /** Stops following: resolves `run()` without waiting for the rest (they stay queued). */
  stop(): void {
    this.#stopped = true;
    this.#stop?.();
  }

  async run(): Promise<QueueBatchOutcome> {
    const { queue, tasks, jobDefaults, progress } = this.#options;
    const ids = tasks.map((task) => task.id);
    if (this.#options.resume) await this.#requeueUnsettled(ids);
    await queue.enqueue(tasks.map((task) => ({ id: task.id, data: { ...jobDefaults, task } satisfies QueueJob })));
    await queue.follow((id, outcome) => this.#settle(id, outcome));
    // Outcomes of jobs that ended before the coordinator followed them.
    await this.#reconcile();
    const finished = new Promise<void>((resolve) => (this.#stop = resolve));
    if (this.#pending.size === 0 || this.#stopped) this.#stop!();
    const poll = setInterval(() => void this.#poll().catch((error: unknown) => progress.log(`Reading the queue failed: ${String(error)}`)), this.#options.pollMs ?? 1_000);
    try {
      await finished;
    } finally {
      clearInterval(poll);
    }
    return { ...this.#counts, stopped: this.#stopped && this.#pending.size > 0 };
  }

  async #requeueUnsettled(ids: readonly string[]): Promise<void> {
    const ended = await this.#options.queue.outcomes(ids);
    const again = [...ended].filter(([id, outcome]) => {
      const result = resultOfOutcome(this.#pending.get(id)!, outcome);
      return outcome.kind === 'failed' ? this.#options.retryFailed : !isSettled(result, this.#options.retryFailed);
    });
    const retried = await this.#options.queue.retry(again.map(([id]) => id));
    if (retried > 0) this.#options.progress.log(`resume: ${retried} ended task(s) whose result is not settled are queued again.`);
  }

  #polls = 0;

  async #poll(): Promise<void> {
    const { queue, progress } = this.#options;
    const [counts, budget] = await Promise.all([queue.counts(), queue.budget.state()]);
    this.#counts = { ...this.#counts, running: counts.active, cost: budget.spent };
    progress.update(this.#counts);
    // Live events may be missed (a reconnect): every few polls, ask the queue for the pending ones.
    if (++this.#polls % 5 === 0) await this.#reconcile();
  }

  async #reconcile(): Promise<void> {
    const ended = await this.#options.queue.outcomes([...this.#pending.keys()]);
    for (const [id, outcome] of ended) this.#settle(id, outcome);
  }

  #settle(id: string, outcome: JobOutcome): void {
    const task = this.#pending.get(id);
    if (!task || this.#stopped) return;
    this.#pending.delete(id);
    const result = resultOfOutcome(task, outcome);
    this.#options.writer.append(result);
    const counts = this.#counts;
    if (result.status === 'finished') counts.finished++;
    else if (result.status === 'skipped') counts.skipped++;
    else counts.failed++;
    this.#options.progress.taskEnded(result, counts);
    if (this.#pending.size === 0) this.#stop?.();
  }
}
