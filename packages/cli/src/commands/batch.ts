import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Agent } from '@troupe/core';
import { sessionKeysFromEnv, type StartedServer, startServer } from '@troupe/server';
import { Supervisor } from '@troupe/workers';
import { BatchRunner } from '../batch/batch-runner.js';
import { createProgress } from '../batch/progress.js';
import { isSettled, readResults, ResultsWriter, type TaskResult } from '../batch/results-file.js';
import { renderSummary, summarize } from '../batch/summary-table.js';
import { readTaskFile } from '../batch/task-file.js';
import { codingAgent } from '../shared/agent.js';
import { chooseModel } from '../shared/model.js';
import type { BatchCommandOptions } from './batch-options.js';
import { queueBatchCommand } from './queue-batch-command.js';


/** The server options that mean something only with --serve. */
const SERVE_ONLY = ['host', 'port', 'sessionApiKey'] as const;

/** Exit codes: 0 all finished, 1 some task did not finish, 2 usage or input error, 130 stopped by Ctrl-C. */
export async function batchCommand(tasksFile: string, options: BatchCommandOptions): Promise<number> {
  const stderr = process.stderr;
  const serveOnly = SERVE_ONLY.filter((name) => options[name] !== undefined && !(Array.isArray(options[name]) && options[name].length === 0));
  if (!options.serve && serveOnly.length > 0) {
    stderr.write(`--${serveOnly.map((name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)).join(', --')} ${serveOnly.length === 1 ? 'needs' : 'need'} --serve.\n`);
    return 2;
  }
  const parsed = await readTaskFile(tasksFile);
  for (const bad of parsed.invalid) stderr.write(`${tasksFile}:${bad.line}: invalid task, ${options.strict ? 'aborting' : 'skipped'}: ${bad.message}\n`);
  if (parsed.invalid.length > 0 && options.strict) {
    stderr.write(`${parsed.invalid.length} invalid line(s) and --strict: nothing was run.\n`);
    return 2;
  }

  if (options.queue === undefined && options.queueName !== undefined) {
    stderr.write('--queue-name needs --queue redis://host:port.\n');
    return 2;
  }
  const base = join(dirname(resolve(tasksFile)), basename(tasksFile, extname(tasksFile)));
  const out = resolve(options.out ?? `${base}.results.jsonl`);
  const outBase = join(dirname(out), basename(out, extname(out)));
  const persistenceDir = resolve(options.persistenceDir ?? `${outBase}.conversations`);
  const workspaceRoot = resolve(options.workspaceRoot ?? `${outBase}.workspaces`);

  if (!options.resume && existsSync(out) && statSync(out).size > 0) {
    stderr.write(`${out} already holds results: pass --resume to continue that batch, or choose another --out.\n`);
    return 2;
  }
  const previous = options.resume ? readResults(out) : { byId: new Map<string, TaskResult>(), badLines: [] };
  if (previous.badLines.length > 0) stderr.write(`${out}: ignored ${previous.badLines.length} unreadable line(s) (${previous.badLines.join(', ')}), e.g. one torn by a kill.\n`);
  const settled = new Set([...previous.byId.values()].filter((result) => isSettled(result, options.retryFailed ?? false)).map((result) => result.id));
  const todo = parsed.tasks.filter((task) => !settled.has(task.id));
  const alreadySpent = [...previous.byId.values()].filter((result) => parsed.lines.has(result.id)).reduce((sum, result) => sum + result.cost, 0);
  if (options.queue !== undefined) return queueBatchCommand({ tasksFile, parsed, todo, out, options: { ...options, queue: options.queue } });
  if (options.resume) {
    const stored = todo.filter((task) => existsSync(join(persistenceDir, task.id, 'state.json'))).length;
    stderr.write(`resume: ${parsed.tasks.length - todo.length} task(s) already done in ${out}; ${todo.length} to run (${stored} continue from ${persistenceDir}).\n`);
  }

  const model = await chooseModel({
    ...(options.model === undefined ? {} : { model: options.model }),
    ...(options.baseUrl === undefined ? {} : { baseUrl: options.baseUrl }),
    ...(options.mockLatency === undefined ? {} : { mockLatencyMs: options.mockLatency }),
  });
  stderr.write(`${model.notice}\n`);
  const mockPrices = model.mock !== null;

  const started = Date.now();
  const supervisor = new Supervisor({ threads: options.threads ?? availableParallelism(), persistenceDir, closeGraceMs: 5_000 });
  const writer = new ResultsWriter(out);
  const progress = createProgress(stderr, { mockPrices });
  const agents = new Map<string, Agent>();
  const runner = new BatchRunner({
    supervisor,
    tasks: todo,
    agentFor: (task) => {
      const key = task.model ?? '';
      let agent = agents.get(key);
      if (!agent) agents.set(key, (agent = codingAgent(model.llm(task.model))));
      return agent;
    },
    persistenceDir,
    workspaceFor: (task) => join(workspaceRoot, task.id),
    concurrency: options.concurrency ?? 4,
    ...(options.maxCost === undefined ? {} : { maxCost: options.maxCost }),
    alreadySpent,
    ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
    beforeTask: async (task) => {
      // A stored task the dashboard opened is closed there first: one actor per conversation.
      await server?.service.closeOpen(task.id);
      await model.scriptConversation(task.id, task.prompt);
    },
    onStart: (task, resumed) => progress.taskStarted(task.id, resumed),
    onResult: (result) => {
      writer.append(result);
      progress.taskEnded(result, runner.counts);
    },
    ...(options.serve ? { onConversation: (conversation) => server!.service.adopt(conversation) } : {}),
  });

  let server: StartedServer | undefined;
  let done = false;
  if (options.serve) {
    const sessionApiKeys = [...(options.sessionApiKey ?? []), ...sessionKeysFromEnv(process.env)];
    server = await startServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 8000,
      persistenceDir,
      supervisor,
      sessionApiKeys,
      batchProgress: () => ({ source: tasksFile, ...runner.counts, started_at: new Date(started).toISOString(), done, running_ids: runner.runningIds }),
    }).catch(async (error: unknown) => {
      await supervisor.close();
      throw error;
    });
    stderr.write(`Dashboard and agent server on ${server.url}/ (${sessionApiKeys.length > 0 ? 'log in with the session key' : 'no session key: loopback only'}); it stops when the batch ends.\n`);
  }

  let closing: Promise<void> | undefined;
  // The server first: it stops using the conversations before the supervisor pauses and flushes them.
  const closeSupervisor = (): Promise<void> => (closing ??= (async () => {
    await server?.close();
    await supervisor.close();
  })());

  // First Ctrl-C: start nothing more, pause running tasks and flush them; a second one exits now.
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) {
      stderr.write('\nSecond Ctrl-C: exiting now (unflushed state of running tasks may be lost; --resume recovers from the last step).\n');
      process.exit(130);
    }
    interrupted = true;
    progress.log(`\nCtrl-C: pausing ${runner.counts.running} running task(s) and saving their state; --resume continues them. Ctrl-C again to exit at once.`);
    void runner.stop().then(closeSupervisor);
  };
  process.on('SIGINT', onSigint);

  progress.start(runner.counts);
  let outcome;
  try {
    outcome = await runner.run();
    done = true;
  } finally {
    progress.stop();
    await closeSupervisor();
    writer.close();
    await model.close();
    process.off('SIGINT', onSigint);
  }
  const wallMs = Date.now() - started;

  const all = readResults(out).byId;
  const ofThisFile = [...all.values()].filter((result) => parsed.lines.has(result.id));
  process.stdout.write(`\n${renderSummary(summarize(ofThisFile), { wallMs, mockPrices })}\n`);
  if (parsed.invalid.length > 0) process.stdout.write(`${parsed.invalid.length} invalid line(s) in ${tasksFile} were skipped (see above).\n`);
  if (outcome.budgetReached) process.stdout.write(`The batch budget of $${options.maxCost} was reached: ${outcome.skipped} task(s) were not started.\n`);
  process.stdout.write(`Results: ${out}\nConversations: ${persistenceDir}\n`);
  if (outcome.stopped) {
    const missing = parsed.tasks.length - ofThisFile.length;
    process.stdout.write(`Stopped by Ctrl-C; ${missing} task(s) unfinished. Continue with: troupe batch ${tasksFile} --out ${out} --resume\n`);
    return 130;
  }
  return ofThisFile.every((result) => result.status === 'finished') && parsed.invalid.length === 0 ? 0 : 1;
}
