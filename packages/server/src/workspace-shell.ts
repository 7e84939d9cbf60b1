import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { errorMessage, type Logger } from '@troupe/core';
import { resolveShell, shellEnvironment } from '@troupe/tools';
import { type BashCommand, type BashEvent, type BashEventPage, type BashEventSearchQuery, type BashOutput, type ExecuteBashRequest, searchBashEvents } from './bash-events.js';
import { HttpError } from './http-error.js';

/** Bounds of the shell's record, kept in memory: past them the oldest events go first. */
export interface WorkspaceShellLimits {
  maxEvents: number;
  maxOutputChars: number;
  /** Output is sent as it comes, gathered for at most this long (or this many characters) per event. */
  flushMs: number;
  flushChars: number;
  /** After SIGTERM to a timed-out command's process group, the time before SIGKILL. */
  killGraceMs: number;
}

export const DEFAULT_WORKSPACE_SHELL_LIMITS: WorkspaceShellLimits = { maxEvents: 10_000, maxOutputChars: 64 * 1024 * 1024, flushMs: 50, flushChars: 64 * 1024, killGraceMs: 1_000 };

const newId = (): string => randomUUID().replaceAll('-', '');
const now = (): string => new Date().toISOString();

/**
 * The server's workspace shell, independent of any conversation (OpenHands' bash routes): each
 * command runs in `bash -c` in a process group of its own, with the terminal's environment
 * allow-list (never the server's keys). Its output is recorded as it arrives; on timeout the whole
 * group is killed. Events are kept in memory, bounded.
 */
export class WorkspaceShell {
  readonly #limits: WorkspaceShellLimits;
  readonly #defaultCwd: () => string;
  readonly #logger: Logger;
  readonly #events: BashEvent[] = [];
  #outputChars = 0;
  readonly #running = new Map<string, ChildProcess>();
  /** Resolves when the command with this id has finished (its last output is recorded). */
  readonly #finished = new Map<string, Promise<void>>();

  constructor(options: { defaultCwd: () => string; logger: Logger; limits?: Partial<WorkspaceShellLimits> }) {
    this.#limits = { ...DEFAULT_WORKSPACE_SHELL_LIMITS, ...options.limits };
    this.#defaultCwd = options.defaultCwd;
    this.#logger = options.logger;
  }

  /** Starts a command; resolves with its BashCommand once it is running (a bad `cwd` is a 422). */
  async start(request: ExecuteBashRequest): Promise<BashCommand> {
    const cwd = request.cwd ?? this.#defaultCwd();
    const isDirectory = await stat(cwd).then((info) => info.isDirectory(), () => false);
    if (!isDirectory) throw new HttpError(422, `cwd ${JSON.stringify(cwd)} is not an existing directory: give the absolute path of one.`);
    const command: BashCommand = { kind: 'BashCommand', id: newId(), timestamp: now(), command: request.command, cwd: request.cwd ?? null, timeout: request.timeout };
    this.#record(command);
    this.#finished.set(command.id, this.#run(command, cwd));
    return command;
  }

  /**
   * Runs a command to its end (OpenHands' `execute_bash_command`): its last output, carrying the
   * whole stdout and stderr (outputs are streamed in parts, so the last alone may hold none).
   */
  async execute(request: ExecuteBashRequest): Promise<BashOutput> {
    const command = await this.start(request);
    await this.#finished.get(command.id);
    const outputs = this.#events.filter((event): event is BashOutput => event.kind === 'BashOutput' && event.command_id === command.id);
    const last = outputs.at(-1);
    if (!last) return { kind: 'BashOutput', id: newId(), timestamp: now(), command_id: command.id, order: 0, exit_code: -1, stdout: null, stderr: 'The output of this command was dropped from the record (too much output since).' };
    const joined = (stream: 'stdout' | 'stderr') => outputs.map((output) => output[stream] ?? '').join('') || null;
    return { ...last, stdout: joined('stdout'), stderr: joined('stderr') };
  }

  search(query: BashEventSearchQuery): BashEventPage {
    return searchBashEvents(this.#events, query);
  }

  event(id: string): BashEvent | undefined {
    return this.#events.find((event) => event.id === id);
  }

  /** Forgets every recorded event (running commands go on recording). */
  clear(): number {
    const count = this.#events.length;
    this.#events.length = 0;
    this.#outputChars = 0;
    return count;
  }

  /** Kills every running command's process group. */
  close(): void {
    for (const child of this.#running.values()) killGroup(child, 'SIGKILL');
  }

  #run(command: BashCommand, cwd: string): Promise<void> {
    const shell = resolveShell(undefined);
    return new Promise<void>((resolve) => {
      let order = 0;
      const buffered = { stdout: '', stderr: '' };
      let flushTimer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let deadline: NodeJS.Timeout | undefined;
      const emit = (exitCode: number | null) => {
        clearTimeout(flushTimer);
        flushTimer = undefined;
        if (exitCode === null && buffered.stdout === '' && buffered.stderr === '') return;
        const output: BashOutput = { kind: 'BashOutput', id: newId(), timestamp: now(), command_id: command.id, order: order++, exit_code: exitCode, stdout: buffered.stdout || null, stderr: buffered.stderr || null };
        buffered.stdout = '';
        buffered.stderr = '';
        this.#record(output);
      };
      const finish = (exitCode: number, note?: string) => {
        clearTimeout(deadline);
        this.#running.delete(command.id);
        if (note) buffered.stderr += `${buffered.stderr === '' || buffered.stderr.endsWith('\n') ? '' : '\n'}${note}`;
        emit(exitCode);
        resolve();
      };
      let child: ChildProcess;
      try {
        child = spawn(shell, ['-c', command.command], { cwd, env: shellEnvironment(process.env, { shell, extra: {} }), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        return finish(-1, `Error executing command: ${errorMessage(error)}`);
      }
      this.#running.set(command.id, child);
      const collect = (stream: 'stdout' | 'stderr') => {
        const decoder = new StringDecoder('utf8');
        child[stream]?.on('data', (chunk: Buffer) => {
          buffered[stream] += decoder.write(chunk);
          if (buffered.stdout.length + buffered.stderr.length >= this.#limits.flushChars) emit(null);
          else flushTimer ??= setTimeout(() => emit(null), this.#limits.flushMs);
        });
        child[stream]?.on('end', () => (buffered[stream] += decoder.end()));
      };
      collect('stdout');
      collect('stderr');
      deadline = setTimeout(() => {
        timedOut = true;
        killGroup(child, 'SIGTERM');
        setTimeout(() => killGroup(child, 'SIGKILL'), this.#limits.killGraceMs).unref();
      }, command.timeout * 1000);
      child.on('error', (error) => finish(-1, `Error executing command: ${errorMessage(error)}`));
      // 'close': the shell exited and every process holding its output has let go (or was killed).
      child.on('close', (code, signal) => {
        if (timedOut) return finish(-1, `Command timed out after ${command.timeout} seconds; its process group was killed.`);
        finish(code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : -1));
      });
    }).catch((error: unknown) => this.#logger.warn(`Workspace command ${command.id} failed: ${errorMessage(error)}`));
  }

  #record(event: BashEvent): void {
    this.#events.push(event);
    if (event.kind === 'BashOutput') this.#outputChars += (event.stdout?.length ?? 0) + (event.stderr?.length ?? 0);
    while (this.#events.length > this.#limits.maxEvents || (this.#outputChars > this.#limits.maxOutputChars && this.#events.length > 1)) {
      const dropped = this.#events.shift()!;
      if (dropped.kind === 'BashOutput') this.#outputChars -= (dropped.stdout?.length ?? 0) + (dropped.stderr?.length ?? 0);
    }
  }
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15, SIGPIPE: 13 };

/** Signals the process group of a command (it leads one: it was spawned detached). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}
