import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { HookRun } from './hook-decision.js';
import { errorMessage } from './errors.js';

export interface HookProcessOptions {
  command: string;
  cwd: string;
  env: Record<string, string>;
  /** Written to the hook's stdin, then stdin is closed. */
  input: string;
  timeoutSeconds: number;
  /** After SIGTERM to a timed-out hook's process group, the time before SIGKILL. */
  killGraceMs?: number;
  /** Aborted (the conversation is interrupted): the hook's process group is killed at once. */
  signal?: AbortSignal;
}

/** Output kept per stream; past it the rest is dropped (the event log keeps less still). */
const MAX_CAPTURED_CHARS = 1_000_000;
const DEFAULT_KILL_GRACE_MS = 1_000;
const INTERRUPTED = 'Hook was stopped: the conversation was interrupted.';

/**
 * Runs a hook command in `sh -c`, in a process group of its own so that on timeout the whole
 * tree it started is killed (SIGTERM, then SIGKILL). Never rejects: a failure to start is a run
 * without an exit code.
 */
export function runHookProcess(options: HookProcessOptions): Promise<HookRun> {
  return new Promise((resolve) => {
    const output = { stdout: '', stderr: '' };
    let timedOut = false;
    let settled = false;
    const finish = (exitCode: number | null, failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode, stdout: output.stdout, stderr: output.stderr, timedOut, timeoutSeconds: options.timeoutSeconds, ...(failure ? { failure } : {}) });
    };
    if (options.signal?.aborted) {
      resolve({ exitCode: null, stdout: '', stderr: '', timedOut: false, timeoutSeconds: options.timeoutSeconds, failure: INTERRUPTED });
      return;
    }
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn('/bin/sh', ['-c', options.command], { cwd: options.cwd, env: options.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ exitCode: null, stdout: '', stderr: '', timedOut: false, timeoutSeconds: options.timeoutSeconds, failure: `Hook could not be started: ${errorMessage(error)}` });
      return;
    }
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    const onAbort = () => {
      killGroup('SIGKILL');
      finish(null, INTERRUPTED);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS).unref();
    }, options.timeoutSeconds * 1000);
    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8');
      child[stream]?.on('data', (chunk: Buffer) => {
        if (output[stream].length < MAX_CAPTURED_CHARS) output[stream] += decoder.write(chunk);
      });
      child[stream]?.on('end', () => (output[stream] += decoder.end()));
    }
    // A hook that does not read its stdin closes the pipe early: that is not an error.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input);
    child.on('error', (error) => finish(null, `Hook could not be started: ${errorMessage(error)}`));
    // 'close': the shell exited and every process holding its output let go (or was killed).
    child.on('close', (code, signal) => {
      if (timedOut) killGroup('SIGKILL');
      finish(code, code === null ? `Hook was killed by ${signal ?? 'a signal'}.` : undefined);
    });
  });
}
