import { type Agent, type ConversationStorage, errorMessage, totalCost, totalTokenUsage } from '@troupe/core';
import type { Conversation, Supervisor } from '@troupe/workers';
import type { TaskResult, TaskResultStatus } from './results-file.js';
import type { BatchTask } from './task-file.js';
import { TaskRecord } from './task-record.js';

/** What running one task needs: where, with which agent, and the hooks of whoever schedules it (the local runner, a queue worker). */
export interface TaskRunContext {
  supervisor: Supervisor;
  /** Where the task's conversation (id = task id) is stored, so an unfinished one is resumed, not redone. */
  storage: ConversationStorage;
  /** The agent of a task (its model may differ per task). May throw: the task then ends in `error`. */
  agentFor(task: BatchTask): Agent;
  /** Where a task without its own `workspace` works. */
  workspaceFor(task: BatchTask): string;
  /** Interrupted (and reported `timeout`) after this long. */
  timeoutMs?: number;
  /** True once the scheduler stops: a task that did not finish then reports nothing (it is resumed later). */
  stopped(): boolean;
  /** Called before the conversation is created: the CLI scripts the built-in mock model here. */
  beforeTask?(task: BatchTask): void | Promise<void>;
  onStart?(task: BatchTask, resumed: boolean): void;
  /** The conversation is up (its cost so far is in its stats). */
  onRunning?(task: BatchTask, conversation: Conversation): void;
  /** The run is over (before the conversation is closed). */
  onRunEnded?(task: BatchTask): void;
  /** The close of an ended conversation, to wait for before the supervisor closes. */
  onClosing?(closing: Promise<void>): void;
  /** The conversation is made: served elsewhere too (`batch --serve`); the returned function forgets it, once it is closed. */
  onConversation?(conversation: Conversation): () => void;
}

/** How a task's run ended: its result line, or null when stopped unfinished; `cause` is the error that ended it, if one did. */
export interface TaskRunEnd {
  result: TaskResult | null;
  cause?: unknown;
}

const STATUS_OF_RUN: ReadonlySet<string> = new Set(['finished', 'error', 'stuck', 'paused', 'waiting_for_confirmation', 'idle']);

/**
 * Runs one task as a persisted conversation whose id is the task id: a stored one is continued
 * (its prompt is not sent again), a new one gets the prompt; returns the task's result line.
 */
export async function runBatchTask(task: BatchTask, context: TaskRunContext): Promise<TaskRunEnd> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const record = new TaskRecord();
  let conversation: Conversation | undefined;
  let forget: (() => void) | undefined;
  let resumed = false;
  let model: string | null = null;
  let status: TaskResultStatus = 'error';
  let error: string | null = null;
  let cause: unknown;
  try {
    const agent = context.agentFor(task);
    model = agent.config.llm.model;
    await context.beforeTask?.(task);
    conversation = context.supervisor.conversation({
      agent,
      conversationId: task.id,
      storage: context.storage,
      workspace: task.workspace ?? context.workspaceFor(task),
      ...(task.maxIterations === undefined ? {} : { maxIterationsPerRun: task.maxIterations }),
    });
    const live = conversation;
    forget = context.onConversation?.(live);
    context.onRunning?.(task, live);
    live.on('event', (event, seq) => record.add(event, seq));
    await live.ready();
    // A stored conversation already holds the prompt: it is continued, not sent again.
    resumed = live.state.eventCount > 0;
    if (resumed) {
      // The stored history (not running yet: the stream ends at the end of the log).
      let seq = 0;
      for await (const event of live.stream(0, { untilIdle: true })) record.add(event, seq++);
    }
    context.onStart?.(task, resumed);
    if (!resumed) await live.sendMessage(task.prompt);
    const runStatus = await runWithTimeout(live, context.timeoutMs);
    // Stopped: the supervisor pauses and flushes it; it is continued later.
    if (context.stopped() && runStatus !== 'finished') return { result: null };
    status = runStatus;
    const lastError = live.state.lastError;
    if (status === 'timeout') error = `Timed out after ${context.timeoutMs} ms; the conversation was interrupted and is paused (resume with --resume --retry-failed).`;
    else if (status !== 'finished' && lastError) error = `${lastError.code}: ${lastError.detail}`;
    else if (status !== 'finished') error = `The run ended ${status}.`;
  } catch (caught) {
    if (context.stopped()) return { result: null, cause: caught };
    status = 'error';
    error = errorMessage(caught);
    cause = caught;
  } finally {
    context.onRunEnded?.(task);
  }

  const stats = conversation?.stats;
  const cost = stats ? totalCost(stats) : 0;
  const usage = stats ? totalTokenUsage(stats) : undefined;
  if (conversation && !context.stopped()) {
    const closing = conversation.close().catch(() => undefined);
    context.onClosing?.(closing);
    await closing;
  }
  // Only once closed: whoever serves it may open it again from storage, never beside this actor.
  if (!context.stopped()) forget?.();
  const result: TaskResult = {
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
    events_path: conversation ? context.storage.eventsLocation(task.id) : null,
    model,
    resumed,
    started_at: startedAt,
    ended_at: new Date().toISOString(),
    ...(task.metadata === undefined ? {} : { metadata: task.metadata }),
  };
  return cause === undefined ? { result } : { result, cause };
}

async function runWithTimeout(conversation: Conversation, timeoutMs: number | undefined): Promise<TaskResultStatus> {
  const run = conversation.run();
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

function asResultStatus(status: string): TaskResultStatus {
  return STATUS_OF_RUN.has(status) ? (status as TaskResultStatus) : 'error';
}

/** The result line of a task that never ran (`skipped` when the budget was spent). */
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
