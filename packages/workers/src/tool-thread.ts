import { resourceLimits, Worker } from 'node:worker_threads';
import { createConsoleLogger, errorMessage } from '@troupe/core';
import { ToolThreadError } from './errors.js';
import { parseMailboxMessage } from './mailbox.js';
import { type ToolThreadReply, ToolThreadReplySchema, type ToolThreadRequest } from './tool-thread-protocol.js';

/** How long an interrupted tool may take to stop before its tool thread is stopped. */
export const TOOL_STOP_GRACE_MS = 1_500;

interface Pending {
  /** The tool the request is for: a thread stopped on its account names it. */
  tool: string;
  settle(reply: ToolThreadReply | ToolThreadError): void;
  abortTimer?: NodeJS.Timeout;
}

/** Where log lines of a session's tools go. */
export type SessionLogger = (reply: Extract<ToolThreadReply, { type: 'log' }>) => void;

/**
 * One actor thread's tool thread: a worker, started on first use, that runs the module tools of
 * every conversation on the actor thread, so that a tool that blocks never blocks the actors.
 * An interrupted call that has not settled within `graceMs` gets its thread stopped: the calls
 * in flight there end with a `ToolThreadError` naming that tool, and the next request starts a
 * fresh thread (`generation` tells sessions to make their tools again). A thread that dies by
 * itself (an uncaught error, `process.exit`, out of memory) ends its calls the same way.
 */
export class ToolThread {
  #worker: Worker | null = null;
  #generation = 0;
  #nextId = 0;
  /** The last error the worker reported before it exited. */
  #lastError: string | null = null;
  readonly #pending = new Map<number, Pending>();
  readonly #loggers = new Map<number, SessionLogger>();

  constructor(readonly graceMs = TOOL_STOP_GRACE_MS) {}

  /** Starts the thread if it is not running; returns its generation (a new one after every restart). */
  start(): number {
    if (!this.#worker) this.#spawn();
    return this.#generation;
  }

  get running(): boolean {
    return this.#worker !== null;
  }

  get generation(): number {
    return this.#generation;
  }

  /** A new session id; its tools' log lines go to `log`. */
  openSession(log: SessionLogger): number {
    const id = this.#nextId++;
    this.#loggers.set(id, log);
    return id;
  }

  closeSession(id: number): void {
    this.#loggers.delete(id);
  }

  /** Posts a message that gets no reply, starting the thread if needed. */
  post(message: ToolThreadRequest): void {
    this.start();
    this.#worker!.postMessage(message);
  }

  /** Posts a request and resolves with its reply; rejects with a `ToolThreadError` when the thread stops first. */
  request(tool: string, build: (id: number) => ToolThreadRequest): { id: number; reply: Promise<ToolThreadReply> } {
    const id = this.#nextId++;
    const reply = new Promise<ToolThreadReply>((resolve, reject) => {
      this.#pending.set(id, { tool, settle: (outcome) => (outcome instanceof ToolThreadError ? reject(outcome) : resolve(outcome)) });
    });
    this.post(build(id));
    return { id, reply };
  }

  /** The call `id` was interrupted: its tool is told, and gets `graceMs` to settle before the thread is stopped. */
  abort(id: number): void {
    const pending = this.#pending.get(id);
    if (!pending || pending.abortTimer || !this.#worker) return;
    this.#worker.postMessage({ type: 'abort', id } satisfies ToolThreadRequest);
    pending.abortTimer = setTimeout(() => {
      if (this.#pending.get(id) === pending) this.#stopFor(pending.tool);
    }, this.graceMs);
  }

  #spawn(): void {
    const worker = new Worker(new URL('./tool-thread-worker.js', import.meta.url), { resourceLimits });
    // The actor thread lives as long as its pool; an idle tool thread must not keep anything alive.
    worker.unref();
    this.#worker = worker;
    this.#generation++;
    this.#lastError = null;
    worker.on('message', (raw: unknown) => this.#onReply(raw));
    worker.on('error', (error) => (this.#lastError = errorMessage(error)));
    worker.on('exit', (code) => this.#discard(worker, `it died (${this.#lastError ?? `exit code ${code}`})`, null));
  }

  #onReply(raw: unknown): void {
    let reply: ToolThreadReply;
    try {
      reply = parseMailboxMessage(ToolThreadReplySchema, raw, 'tool thread reply');
    } catch (error) {
      createConsoleLogger({ prefix: 'tool thread' }).warn(errorMessage(error));
      return;
    }
    if (reply.type === 'log') {
      this.#loggers.get(reply.session)?.(reply);
      return;
    }
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    clearTimeout(pending.abortTimer);
    pending.settle(reply);
  }

  /** An interrupted tool would not stop: the thread goes, with every call in flight there. */
  #stopFor(tool: string): void {
    const worker = this.#worker;
    if (!worker) return;
    this.#discard(worker, `tool '${tool}' did not stop within ${this.graceMs} ms of an interrupt`, tool);
    void worker.terminate();
  }

  /** The thread is gone (`why`): its calls end with an error, the next request starts a fresh one. */
  #discard(worker: Worker, why: string, stuckTool: string | null): void {
    if (this.#worker !== worker) return;
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) {
      clearTimeout(call.abortTimer);
      const cause = call.tool === stuckTool ? `Tool '${call.tool}' did not stop within ${this.graceMs} ms of an interrupt` : `The tool thread stopped while '${call.tool}' ran: ${why}`;
      call.settle(
        new ToolThreadError(
          `${cause}; its tool thread was stopped. The call may have partially run. The next call starts a fresh tool thread, where the conversation's tools are made again (their state starts over).`,
        ),
      );
    }
  }
}

let shared: ToolThread | null = null;

/** The tool thread of this actor thread (one per thread, shared by its conversations). */
export function toolThread(): ToolThread {
  shared ??= new ToolThread();
  return shared;
}
