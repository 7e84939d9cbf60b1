import { join, resolve } from 'node:path';
import { type Agent, EVENTS_FILE, errorMessage, totalCost, totalTokenUsage } from '@troupe/core';
import type { Conversation, Supervisor } from '@troupe/workers';
import { BatchBudget } from './budget.js';
import type { TaskResult, TaskResultStatus } from './results-file.js';
import type { BatchTask } from './task-file.js';
import { TaskRecord } from './task-record.js';

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

const STATUS_OF_RUN: ReadonlySet<string> = new Set(['finished', 'error', 'stuck', 'paused', 'waiting_for_confirmation', 'idle']);

/**
 * Runs a batch of tasks on a supervisor: at most `concurrency` conversations at once, each task a
 * persisted conversation whose id is the task id (so an unfinished one is resumed, not redone).
 * It knows nothing of the CLI: results go to `onResult`, counts are read from `counts`.
 */
export class BatchRunner {
  readonly #options: BatchRunnerOptions;
  readonly #budget: BatchBudget;
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
    const { supervisor, persistenceDir } = this.#options;
    const started = Date.now();
    const startedAt = new Date(started).toISOString();
    const record = new TaskRecord();
    let conversation: Conversation | undefined;
    let forget: (() => void) | undefined;
    let resumed = false;
    let model: string | null = null;
    let status: TaskResultStatus = 'error';
    let error: string | null = null;
    try {
      const agent = this.#options.agentFor(task);
      model = agent.config.llm.model;
      await this.#options.beforeTask?.(task);
      conversation = supervisor.conversation({
        agent,
        conversationId: task.id,
        persistenceDir,
        workspace: task.workspace ?? this.#options.workspaceFor(task),
        ...(task.maxIterations === undefined ? {} : { maxIterationsPerRun: task.maxIterations }),
      });
      const live = conversation;
      forget = this.#options.onConversation?.(live);
      this.#running.set(task.id, live);
      this.#budget.track(task.id, () => totalCost(live.stats));
      live.on('event', (event, seq) => record.add(event, seq));
      await live.ready();
      // A stored conversation already holds the prompt: it is continued, not sent again.
      resumed = live.state.eventCount > 0;
      if (resumed) {
        // The stored history (not running yet: the stream ends at the end of the log).
        let seq = 0;
        for await (const event of live.stream(0, { untilIdle: true })) record.add(event, seq++);
      }
      this.#options.onStart?.(task, resumed);
      if (!resumed) await live.sendMessage(task.prompt);
      const runStatus = await this.#runWithTimeout(live);
      if (this.#stopped && runStatus !== 'finished') {
        // Ctrl-C: the supervisor paused it and flushes it; --resume continues it.
        this.#budget.untrack(task.id);
        return;
      }
      status = runStatus;
      const lastError = live.state.lastError;
      if (status === 'timeout') error = `Timed out after ${this.#options.timeoutMs} ms; the conversation was interrupted and is paused (resume with --resume --retry-failed).`;
      else if (status !== 'finished' && lastError) error = `${lastError.code}: ${lastError.detail}`;
      else if (status !== 'finished') error = `The run ended ${status}.`;
    } catch (caught) {
      if (this.#stopped) {
        this.#budget.untrack(task.id);
        return;
      }
      status = 'error';
      error = errorMessage(caught);
    } finally {
      this.#running.delete(task.id);
    }

    const stats = conversation?.stats;
    const cost = stats ? totalCost(stats) : 0;
    const usage = stats ? totalTokenUsage(stats) : undefined;
    if (conversation && !this.#stopped) {
      const closing = conversation.close().catch(() => undefined);
      this.#closing.add(closing);
      await closing;
      this.#closing.delete(closing);
    }
    // Only once closed: whoever serves it may open it again from disk, never beside this actor.
    if (!this.#stopped) forget?.();
    this.#budget.settle(task.id, cost);
    if (status === 'finished') this.#finished++;
    else this.#failed++;
    this.#options.onResult({
      id: task.id,
      status,
      final_message: record.finalMessage,
      iterations: record.iterations,
      tokens: {
        prompt: usage?.prompt_tokens ?? 0,
        completion: usage?.completion_tokens ?? 0,
        cache_read: usage?.cache_read_tokens ?? 0,
        total: (usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0),
      },
      cost,
      duration_ms: Date.now() - started,
      error,
      events_path: conversation ? join(resolve(persistenceDir), task.id, EVENTS_FILE) : null,
      model,
      resumed,
      started_at: startedAt,
      ended_at: new Date().toISOString(),
      ...(task.metadata === undefined ? {} : { metadata: task.metadata }),
    });
  }

  async #runWithTimeout(conversation: Conversation): Promise<TaskResultStatus> {
    const run = conversation.run();
    const timeoutMs = this.#options.timeoutMs;
    if (timeoutMs === undefined) return asResultStatus(await run);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolveTimeout) => (timer = setTimeout(resolveTimeout, timeoutMs, 'timeout')));
    try {
      const first = await Promise.race([run, timedOut]);
      if (first !== 'timeout') return asResultStatus(first);
      await conversation.interrupt();
      const after = await run;
      // It may have finished in the same instant.
      return after === 'finished' ? 'finished' : 'timeout';
    } finally {
      clearTimeout(timer);
    }
  }
}

function asResultStatus(status: string): TaskResultStatus {
  return STATUS_OF_RUN.has(status) ? (status as TaskResultStatus) : 'error';
}

export function emptyResult(task: BatchTask, status: TaskResultStatus): TaskResult {
  return {
    id: task.id,
    status,
    final_message: null,
    iterations: 0,
    tokens: { prompt: 0, completion: 0, cache_read: 0, total: 0 },
    cost: 0,
    duration_ms: 0,
    error: null,
    events_path: null,
    model: task.model ?? null,
    resumed: false,
    started_at: null,
    ended_at: new Date().toISOString(),
    ...(task.metadata === undefined ? {} : { metadata: task.metadata }),
  };
}
