import { type Agent, FileConversationStorage, totalCost } from '@troupe/core';
import type { Conversation, Supervisor } from '@troupe/workers';
import { BatchBudget } from './budget.js';
import type { TaskResult } from './results-file.js';
import type { BatchTask } from './task-file.js';
import { emptyResult, runBatchTask } from './task-run.js';

export interface BatchRunnerOptions {
  supervisor: Supervisor;
  /** Tasks to run (already without those settled in an earlier run). */
  tasks: readonly BatchTask[];
  /** The agent of a task (its model may differ per task). May throw: the task then ends in `error`. */
  agentFor(task: BatchTask): Agent;
  /** Conversations are persisted here as `<dir>/<task id>/`, so a batch can be resumed. */
  persistenceDir: string;
  /** Where a task without its own `workspace` works. */
  workspaceFor(task: BatchTask): string;
  /** Conversations running at once. */
  concurrency: number;
  /** Whole-batch budget in USD: no task starts once it is spent. */
  maxCost?: number;
  /** Cost of the tasks settled in earlier runs of this batch (counts against `maxCost`). */
  alreadySpent?: number;
  /** Per task: interrupted (and reported `timeout`) after this long. */
  timeoutMs?: number;
  /** Called once per task as it ends (never for a task stopped by `stop()`). */
  onResult(result: TaskResult): void;
  onStart?(task: BatchTask, resumed: boolean): void;
  /** Called before a task is created: the CLI scripts the built-in mock model here. */
  beforeTask?(task: BatchTask): void | Promise<void>;
  /** A task's conversation was made (`--serve` serves it); the function returned is called once the runner closed it. */
  onConversation?(conversation: Conversation): () => void;
}

export interface BatchCounts {
  total: number;
  running: number;
  /** Ended `finished`. */
  finished: number;
  /** Ended in any other way (error, stuck, timeout, …). */
  failed: number;
  skipped: number;
  /** USD spent so far (earlier runs and running tasks included). */
  cost: number;
}

export interface BatchOutcome extends BatchCounts {
  /** True when `stop()` ended the batch early. */
  stopped: boolean;
  /** True when the budget stopped new tasks from starting. */
  budgetReached: boolean;
}

/**
 * Runs a batch of tasks on a supervisor: at most `concurrency` conversations at once, each task a
 * persisted conversation whose id is the task id (so an unfinished one is resumed, not redone).
 * It knows nothing of the CLI: results go to `onResult`, counts are read from `counts`.
 */
export class BatchRunner {
  readonly #options: BatchRunnerOptions;
  readonly #budget: BatchBudget;
  readonly #storage: FileConversationStorage;
  readonly #queue: BatchTask[];
  readonly #running = new Map<string, Conversation>();
  readonly #closing = new Set<Promise<void>>();
  #finished = 0;
  #failed = 0;
  #skipped = 0;
  #stopped = false;
  #budgetReached = false;

  constructor(options: BatchRunnerOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) throw new Error('concurrency must be a positive integer.');
    this.#options = options;
    this.#budget = new BatchBudget(options.maxCost, options.alreadySpent ?? 0);
    this.#storage = new FileConversationStorage(options.persistenceDir);
    this.#queue = [...options.tasks];
  }

  /** The ids of the tasks running now. */
  get runningIds(): string[] {
    return [...this.#running.keys()];
  }

  get counts(): BatchCounts {
    return {
      total: this.#options.tasks.length,
      running: this.#running.size,
      finished: this.#finished,
      failed: this.#failed,
      skipped: this.#skipped,
      cost: this.#budget.spent,
    };
  }

  /** Runs every task; resolves when all ended (or, after `stop()`, when the running ones stopped). */
  async run(): Promise<BatchOutcome> {
    const lanes = Array.from({ length: Math.min(this.#options.concurrency, Math.max(1, this.#queue.length)) }, () => this.#lane());
    await Promise.all(lanes);
    return { ...this.counts, stopped: this.#stopped, budgetReached: this.#budgetReached };
  }

  /**
   * Starts no more tasks. Running tasks are left to `supervisor.close()` (which pauses them and
   * flushes their state); they report nothing, so `--resume` continues them. Resolves once no
   * conversation is being closed by the runner, so the supervisor can close the rest.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([...this.#closing]);
  }

  async #lane(): Promise<void> {
    for (;;) {
      if (this.#stopped) return;
      const task = this.#queue.shift();
      if (!task) return;
      if (this.#budget.exhausted) {
        this.#budgetReached = true;
        this.#skip(task);
        continue;
      }
      await this.#runTask(task);
    }
  }

  #skip(task: BatchTask): void {
    this.#skipped++;
    const limit = this.#budget.limit ?? 0;
    this.#options.onResult({
      ...emptyResult(task, 'skipped'),
      error: `Not started: the batch budget of $${limit} was reached ($${this.#budget.spent.toFixed(4)} spent).`,
    });
  }

  async #runTask(task: BatchTask): Promise<void> {
    const { result } = await runBatchTask(task, {
      supervisor: this.#options.supervisor,
      storage: this.#storage,
      agentFor: (t) => this.#options.agentFor(t),
      workspaceFor: (t) => this.#options.workspaceFor(t),
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
      stopped: () => this.#stopped,
      ...(this.#options.beforeTask ? { beforeTask: this.#options.beforeTask } : {}),
      ...(this.#options.onStart ? { onStart: this.#options.onStart } : {}),
      ...(this.#options.onConversation ? { onConversation: this.#options.onConversation } : {}),
      onRunning: (_, conversation) => {
        this.#running.set(task.id, conversation);
        this.#budget.track(task.id, () => totalCost(conversation.stats));
      },
      onRunEnded: () => this.#running.delete(task.id),
      onClosing: (closing) => {
        this.#closing.add(closing);
        void closing.then(() => this.#closing.delete(closing));
      },
    });
    if (!result) {
      // Stopped (Ctrl-C): the supervisor paused it and flushes it; --resume continues it.
      this.#budget.untrack(task.id);
      return;
    }
    this.#budget.settle(task.id, result.cost);
    if (result.status === 'finished') this.#finished++;
    else this.#failed++;
    this.#options.onResult(result);
  }
}
