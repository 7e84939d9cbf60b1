import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { type Agent, ConversationLeaseError, formatZodIssues, totalCost } from '@troupe/core';
import { Supervisor } from '@troupe/workers';
import type { TaskResult } from '../batch/results-file.js';
import { emptyResult, runBatchTask } from '../batch/task-run.js';
import { DEFAULT_QUEUE_NAME, QueueJobSchema } from '../queue/queue-job.js';
import { loadRedisPackage } from '../queue/redis-package.js';
import { codingAgent } from '../shared/agent.js';
import { chooseModel } from '../shared/model.js';
import { stopSignal } from '../shared/stop-signal.js';
import { formatDuration, formatUsd } from '../shared/table.js';

export interface WorkerCommandOptions {
  queue: string;
  queueName?: string;
  concurrency: number;
  threads?: number;
  model?: string;
  baseUrl?: string;
  workspaceRoot?: string;
  /** Milliseconds: how soon the tasks of a worker that died are run elsewhere. */
  lockDuration?: number;
  mockLatency?: number;
}

/** How often a running task's cost is added to the shared budget. */
const COST_REPORT_MS = 1_000;

/**
 * `troupe worker --queue redis://…`: takes tasks of a distributed batch from the queue and runs up
 * to `--concurrency` of them at once on a supervisor, their conversations stored in Redis (so a task
 * of a worker that died is resumed by another). Runs until Ctrl-C or SIGTERM, which put the running
 * tasks back in the queue, saved.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const stderr = process.stderr;
  const redis = await loadRedisPackage('--queue');
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const lockDurationMs = options.lockDuration ?? 30_000;
  const prefix = redis.queuePrefix(name);
  // A claim outlives the job's lock no longer than the lock itself: the next worker finds it free.
  const storage = await redis.RedisConversationStorage.connect({ url: options.queue, prefix, leaseTtlMs: lockDurationMs, leaseWaitMs: lockDurationMs + 5_000 });
  const budgetConnection = redis.createRedisConnection(options.queue);
  const budget = new redis.SharedBudget(budgetConnection, prefix);
  const model = await chooseModel({
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.mockLatency === undefined ? {} : { mockLatencyMs: options.mockLatency }),
  });
  stderr.write(`${model.notice}\n`);
  const workspaceRoot = resolve(options.workspaceRoot ?? 'troupe-workspaces');
  const supervisor = new Supervisor({ threads: options.threads ?? availableParallelism(), storage, closeGraceMs: 5_000 });
  const agents = new Map<string, Agent>();
  const agentFor = (modelName: string | undefined): Agent => {
    const key = modelName ?? '';
    let agent = agents.get(key);
    if (!agent) agents.set(key, (agent = codingAgent(model.llm(modelName))));
    return agent;
  };
  let stopping = false;

  const processJob = async (job: { id: string; data: unknown }): Promise<{ result: TaskResult } | { putBack: true }> => {
    const parsed = QueueJobSchema.safeParse(job.data);
    if (!parsed.success) {
      const error = `The job's data is not a task: ${formatZodIssues(parsed.error, '(job)')}.`;
      return { result: { ...emptyResult({ id: job.id, prompt: '-' }, 'error'), error } };
    }
    const { task, timeoutMs } = parsed.data;
    const spent = await budget.state();
    if (spent.exhausted) {
      return { result: { ...emptyResult(task, 'skipped'), error: `Not started: the batch budget of $${spent.limit} was reached ($${spent.spent.toFixed(4)} spent).` } };
    }
    let reporter: NodeJS.Timeout | undefined;
    const end = await runBatchTask(task, {
      supervisor,
      storage,
      agentFor: (t) => agentFor(t.model ?? parsed.data.model),
      workspaceFor: (t) => join(workspaceRoot, t.id),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      stopped: () => stopping,
      beforeTask: (t) => model.scriptConversation(t.id, t.prompt),
      onStart: (t, resumed) => stderr.write(`start ${t.id}${resumed ? ' (resumed)' : ''}\n`),
      onRunning: (t, conversation) => {
        reporter = setInterval(() => void budget.report(t.id, totalCost(conversation.stats)).catch(() => undefined), COST_REPORT_MS);
      },
      onRunEnded: () => clearInterval(reporter),
    });
    // Another process holds the conversation: this attempt gives way (BullMQ tries again later), reporting nothing.
    if (end.cause instanceof ConversationLeaseError) throw end.cause;
    if (!end.result) return { putBack: true };
    await budget.report(task.id, end.result.cost);
    stderr.write(`${end.result.id} ${end.result.status} ${end.result.iterations} it ${formatUsd(end.result.cost)} ${formatDuration(end.result.duration_ms)}${end.result.error ? ` (${end.result.error})` : ''}\n`);
    return { result: end.result };
  };

  const stopped = stopSignal();
  const worker = await redis.TaskWorker.start({ url: options.queue, name, concurrency: options.concurrency, lockDurationMs, process: processJob });
  stderr.write(`Worker on queue "${name}" at ${redis.displayUrl(options.queue)}: up to ${options.concurrency} task(s) at once on ${supervisor.threads} thread(s). Ctrl-C stops it (running tasks go back to the queue).\n`);

  await stopped;
  stopping = true;
  process.once('SIGINT', () => process.exit(130));
  stderr.write('Stopping: saving the running tasks and putting them back in the queue…\n');
  await Promise.all([worker.close(), supervisor.close()]);
  await Promise.all([storage.close(), model.close(), budgetConnection.quit().catch(() => undefined)]);
  return 0;
}
