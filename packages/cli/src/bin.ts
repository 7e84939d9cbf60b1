#!/usr/bin/env node
import { Command, Option } from 'commander';
import { batchCommand } from './commands/batch.js';
import { benchCommand } from './commands/bench.js';
import { runCommand } from './commands/run.js';
import { serveCommand } from './commands/serve.js';
import { workerCommand } from './commands/worker.js';
import { duration, nonNegativeInt, positiveInt, positiveNumber } from './shared/options.js';

/** Runs a command and exits with its code (errors: message to stderr, exit 1). */
function action<A extends unknown[]>(command: (...args: A) => Promise<number>) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = await command(...args);
    } catch (error) {
      process.stderr.write(`troupe: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.TROUPE_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exitCode = 1;
    }
    // Worker pools and sockets are closed by the commands; exit even if a stray handle lingers.
    setTimeout(() => process.exit(), 200).unref();
  };
}

export function buildProgram(): Command {
  const program = new Command()
    .name('troupe')
    .description('Troupe: an actor-model runtime for LLM coding agents.')
    .version('0.1.0')
    .showHelpAfterError();

  const mockLatency = new Option('--mock-latency <ms>', 'reply delay of the built-in mock model (when LLM_API_KEY is unset)').argParser(nonNegativeInt).hideHelp();

  program
    .command('run')
    .description('Run one conversation (terminal, file_editor, task_tracker tools) and print its events as they come.')
    .argument('<prompt>', 'the task for the agent')
    .option('--model <provider/model>', 'model (default: LLM_MODEL)')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (default: LLM_BASE_URL)')
    .option('--workspace <dir>', 'where the tools work (default: the current directory)')
    .option('--persistence-dir <dir>', 'persist the conversation here (resume it with --conversation-id)')
    .option('--conversation-id <id>', 'conversation id (an existing one in --persistence-dir is resumed)')
    .option('--max-iterations <n>', 'iteration limit of the run', positiveInt)
    .addOption(mockLatency)
    .action(action(runCommand));

  program
    .command('batch')
    .description('Run every task of a JSONL file (one {"id","prompt",...} a line) as conversations, writing one result line per task.')
    .argument('<tasks.jsonl>', 'tasks: {"id","prompt","workspace"?,"model"?,"maxIterations"?,"metadata"?} per line')
    .option('--concurrency <n>', 'conversations running at once (default 4)', positiveInt)
    .option('--threads <n>', 'worker threads (default: one per core)', positiveInt)
    .option('--queue <redis-url>', 'run the tasks on `troupe worker` processes (any machines) through a BullMQ queue on this Redis, e.g. redis://host:6379')
    .option('--queue-name <name>', 'with --queue: the queue (one per batch that must not mix with another; default "troupe")')
    .option('--model <provider/model>', 'default model (default: LLM_MODEL); a task may set its own')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (default: LLM_BASE_URL)')
    .option('--out <results.jsonl>', 'results file (default: <tasks>.results.jsonl)')
    .option('--persistence-dir <dir>', 'where conversations are persisted (default: <out>.conversations)')
    .option('--workspace-root <dir>', 'workspace of a task without one: <dir>/<id> (default: <out>.workspaces)')
    .option('--max-cost <usd>', 'budget of the whole batch: no task starts once it is spent', positiveNumber)
    .option('--timeout <duration>', 'per task, e.g. 300, 90s, 10m (interrupted and reported as timeout)', duration)
    .option('--resume', 'skip tasks already done in --out; continue unfinished ones from --persistence-dir')
    .option('--retry-failed', 'with --resume, also rerun tasks that ended error, stuck or timeout')
    .option('--strict', 'abort when a line of the tasks file is invalid (default: report and skip it)')
    .option('--serve', 'also serve the agent API and the dashboard (progress and every task live) while the batch runs')
    .option('--host <host>', 'with --serve: interface to bind (anything but loopback needs a session key; default 127.0.0.1)')
    .option('--port <port>', 'with --serve: port (0 picks a free one; default 8000)', nonNegativeInt)
    .option('--session-api-key <key>', 'with --serve: accepted session key (repeatable; also SESSION_API_KEY)', (key: string, keys: string[]) => [...keys, key], [] as string[])
    .addOption(mockLatency)
    .action(action(batchCommand));

  program
    .command('worker')
    .description('Work on distributed batches: take tasks from a queue (troupe batch --queue) and run them, conversations stored in Redis.')
    .requiredOption('--queue <redis-url>', 'the Redis of the queue, e.g. redis://host:6379')
    .option('--queue-name <name>', 'the queue (the coordinator\'s --queue-name; default "troupe")')
    .option('--concurrency <n>', 'conversations running at once on this worker', positiveInt, 4)
    .option('--threads <n>', 'worker threads (default: one per core)', positiveInt)
    .option('--model <provider/model>', 'model of tasks that name none (default: LLM_MODEL); the batch\'s --model wins')
    .option('--base-url <url>', 'OpenAI-compatible endpoint (default: LLM_BASE_URL)')
    .option('--workspace-root <dir>', 'workspace of a task without one: <dir>/<id> (default: ./troupe-workspaces)')
    .option('--lock-duration <duration>', 'tasks of a worker that died run elsewhere about this long after, e.g. 10s (default 30s)', duration)
    .addOption(mockLatency)
    .action(action(workerCommand));

  program
    .command('bench')
    .description(
      'Benchmark the runtime against the mock model (in its own process): overhead, scale, cpu-tools, control, persistence, leak; on request, prompt-cache (cost of the recorded Claude trajectory with and without prompt caching) and peers (--peers).',
    )
    .option('--quick', 'small sizes: every scenario in under a minute (CI smoke test)')
    .option('--scenario <names>', 'run only these scenarios (comma-separated); prompt-cache and peers run only when named')
    .option('--peers', 'run the peers scenario: the same agent by Troupe, a hand-written openai loop, the AI SDK and OpenAI Agents JS (dev dependencies), with the ratio table')
    .option('--trajectory <dir>', 'prompt-cache: the recorded Claude trajectory (default: ../shared/fixtures/recorded-claude-trajectory beside the repository)')
    .option('--json <file>', 'also write every figure as JSON')
    .option('--threads <n>', 'worker threads for the multi-thread runs (default: one per core)', positiveInt)
    .addOption(new Option('--tiny', 'even smaller than --quick (the test suite)').hideHelp())
    .action(action(benchCommand));

  program
    .command('serve')
    .description('Serve the HTTP + WebSocket agent API (OpenHands agent-server wire format) for parallel agents.')
    .option('--host <host>', 'interface to bind (anything but loopback needs a session key)', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', nonNegativeInt, 8000)
    .option('--persistence-dir <dir>', 'where conversations are stored (default .troupe/conversations)')
    .option('--store <redis-url>', 'store conversations in Redis instead (redis://host:6379[?prefix=troupe:]): servers on other machines list and resume them')
    .option('--session-api-key <key>', 'accepted X-Session-API-Key (repeatable; also SESSION_API_KEY, OH_SESSION_API_KEYS_0..n)', (key: string, keys: string[]) => [...keys, key], [] as string[])
    .option('--threads <n>', 'worker threads (default: one per core)', positiveInt)
    .option('--idle-release <duration>', 'close a conversation idle this long (not running, no subscriber), e.g. 90s, 5m; its next request reopens it (default 5m)', duration)
    .option(
      '--workspace-root <dir>',
      "a directory the file and git routes may reach besides the conversations' workspaces (repeatable; also TROUPE_WORKSPACE_ROOTS, ':'-separated)",
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    )
    .action(action(serveCommand));

  return program;
}

await buildProgram().parseAsync(process.argv);
