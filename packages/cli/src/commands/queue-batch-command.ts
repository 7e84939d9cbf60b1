import { readResults, ResultsWriter } from '../batch/results-file.js';
import { createProgress } from '../batch/progress.js';
import { renderSummary, summarize } from '../batch/summary-table.js';
import type { BatchTask, ParsedTaskFile } from '../batch/task-file.js';
import { QueueBatch } from '../queue/queue-batch.js';
import { DEFAULT_QUEUE_NAME } from '../queue/queue-job.js';
import { loadRedisPackage } from '../queue/redis-package.js';
import { MOCK_MODEL } from '../shared/model.js';
import type { BatchCommandOptions } from './batch-options.js';

/** Options of the local batch that belong to the workers in a distributed one (`troupe worker` takes them). */
const WORKER_OPTIONS = [
  ['concurrency', '--concurrency'],
  ['threads', '--threads'],
  ['persistenceDir', '--persistence-dir'],
  ['workspaceRoot', '--workspace-root'],
  ['baseUrl', '--base-url'],
  ['mockLatency', '--mock-latency'],
] as const;

export interface QueueBatchCommandInput {
  tasksFile: string;
  parsed: ParsedTaskFile;
  /** Tasks without a settled result in `out`. */
  todo: BatchTask[];
  out: string;
  options: BatchCommandOptions & { queue: string };
}

/**
 * `troupe batch tasks.jsonl --queue redis://…`: the coordinator. Enqueues the tasks, follows them
 * as `troupe worker` processes (on any machines) run them, writes `results.jsonl` (one line per
 * task, the fields of the local batch) and the same progress and summary. Ctrl-C leaves the queue
 * and the workers going; `--resume` collects the rest. Exit codes as the local batch.
 */
export async function queueBatchCommand({ tasksFile, parsed, todo, out, options }: QueueBatchCommandInput): Promise<number> {
  const stderr = process.stderr;
  const misplaced = WORKER_OPTIONS.filter(([key]) => options[key] !== undefined).map(([, flag]) => flag);
  if (misplaced.length > 0) {
    stderr.write(`${misplaced.join(', ')} ${misplaced.length > 1 ? 'are options' : 'is an option'} of the workers with --queue: pass ${misplaced.length > 1 ? 'them' : 'it'} to troupe worker.\n`);
    return 2;
  }
  const redis = await loadRedisPackage('--queue');
  const name = options.queueName ?? DEFAULT_QUEUE_NAME;
  const queue = await redis.TaskQueue.connect({ url: options.queue, name });
  const where = `queue "${name}" at ${redis.displayUrl(options.queue)}`;
  let writer: ResultsWriter | undefined;
  try {
    if (!options.resume) {
      const existing = await queue.existing(todo.map((task) => task.id));
      if (existing.size > 0) {
        stderr.write(`The ${where} already holds ${existing.size} of these tasks (an earlier run of this batch): pass --resume to continue it, or choose another --queue-name.\n`);
        return 2;
      }
    }
    await queue.budget.setLimit(options.maxCost);
    if (options.resume) stderr.write(`resume: ${parsed.tasks.length - todo.length} task(s) already done in ${out}; ${todo.length} to collect from the ${where}.\n`);
    stderr.write(`Enqueuing ${todo.length} task(s) on the ${where}; run \`troupe worker --queue ${redis.displayUrl(options.queue)}${name === DEFAULT_QUEUE_NAME ? '' : ` --queue-name ${name}`}\` on any machine to work on them.\n`);

    writer = new ResultsWriter(out);
    const progress = createProgress(stderr, { mockPrices: false });
    const batch = new QueueBatch({
      queue,
      tasks: todo,
      jobDefaults: { ...(options.model === undefined ? {} : { model: options.model }), ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }) },
      resume: options.resume ?? false,
      retryFailed: options.retryFailed ?? false,
      writer,
      progress,
    });
    const onSigint = (): void => {
      progress.log(`\nCtrl-C: the ${where} keeps the tasks and the workers go on; collect the results with --resume.`);
      batch.stop();
    };
    process.once('SIGINT', onSigint);
    const started = Date.now();
    progress.start(batch.counts);
    let outcome;
    try {
      outcome = await batch.run();
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
    const wallMs = Date.now() - started;

    const ofThisFile = [...readResults(out).byId.values()].filter((result) => parsed.lines.has(result.id));
    const mockPrices = ofThisFile.some((result) => result.model === MOCK_MODEL);
    process.stdout.write(`\n${renderSummary(summarize(ofThisFile), { wallMs, mockPrices })}\n`);
    if (parsed.invalid.length > 0) process.stdout.write(`${parsed.invalid.length} invalid line(s) in ${tasksFile} were skipped (see above).\n`);
    if (outcome.skipped > 0) process.stdout.write(`The batch budget of $${options.maxCost} was reached: ${outcome.skipped} task(s) were not started.\n`);
    process.stdout.write(`Results: ${out}\nQueue: ${where}\n`);
    if (outcome.stopped) {
      const missing = parsed.tasks.length - ofThisFile.length;
      process.stdout.write(`Stopped following; ${missing} task(s) unreported (still queued or running). Collect them with: troupe batch ${tasksFile} --out ${out} --queue ${redis.displayUrl(options.queue)} --resume\n`);
      return 130;
    }
    return ofThisFile.every((result) => result.status === 'finished') && parsed.invalid.length === 0 ? 0 : 1;
  } finally {
    writer?.close();
    await queue.close();
  }
}
