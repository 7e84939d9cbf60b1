import { OutputBuffer } from './output-buffer.js';
import { PtyShell } from './pty-shell.js';
import { EMPTY_KILL_REPORT, type KillReport } from './terminal-processes.js';
import { parseKey } from './keys.js';
import { completedOutput, PS1_END, shellSetupCommand, type PromptMetadata } from './prompt.js';
import { normalizeTerminalText, removeCommandEcho } from './terminal-text.js';
import { splitTopLevelStatements } from './command-splitter.js';
import {
  COMMAND_NOT_RUN_INTERRUPTED,
  CONTINUATION_PREFIX,
  INTERRUPTED_SUFFIX,
  SHELL_RESTARTED_AFTER_INTERRUPT,
  NO_RUNNING_COMMAND_FOR_INPUT,
  NO_RUNNING_COMMAND_FOR_LOGS,
  completedSuffix,
  hardTimeoutSuffix,
  interruptReportNotice,
  multipleCommandsError,
  noChangeTimeoutSuffix,
  notExecutedSuffix,
  shellExitedSuffix,
} from './messages.js';

export interface TerminalSessionOptions {
  readonly workspace: string;
  readonly shell: string;
  readonly env: Readonly<Record<string, string>>;
  readonly noChangeTimeoutSeconds: number;
  /** How long a new shell may take to show its first prompt. */
  readonly startTimeoutMs?: number;
}

export interface TerminalRequest {
  readonly command: string;
  readonly isInput: boolean;
  /** Hard limit in seconds; switches the no-change timeout off. */
  readonly timeoutSeconds?: number;
  /** Run first, unseen, before a new command (e.g. exporting secrets). */
  readonly preamble?: string;
  readonly signal?: AbortSignal;
}

/** One call's outcome, before it is rendered for the model. */
export interface TerminalResult {
  readonly command: string;
  readonly output: string;
  readonly prefix: string;
  readonly suffix: string;
  /** -1 while the command still runs; `null` for errors that ran nothing. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly isError: boolean;
  /** From the prompt, when the command completed. */
  readonly metadata?: PromptMetadata;
}

type WaitOutcome =
  | 'completed'
  | 'interrupted-completed'
  | 'no-change'
  | 'hard-timeout'
  | 'interrupted'
  /** The interrupt killed every process the shell started, yet the shell showed no prompt. */
  | 'unresponsive'
  | 'exited';

const POLL_MS = 50;
/** After an interrupt (and its kills), how long to wait for the prompt so that the call can report the exit code. */
const INTERRUPT_GRACE_MS = 2_000;
const PS1_END_WINDOW = PS1_END.length + 8;

/**
 * A persistent bash: the state machine of OpenHands' TerminalSession over a PTY. A command runs until its prompt
 * block appears; after a timeout it keeps running, and later calls read its new output or send it input.
 */
export class TerminalSession {
  readonly #options: TerminalSessionOptions;
  #shell: PtyShell | undefined;
  #starting: Promise<PtyShell> | undefined;
  readonly #pending = new OutputBuffer();
  /** A command left running by a timeout or an interrupt. */
  #running = false;
  #sawPromptEnd = false;
  #lastOutputAt = 0;
  #wake: (() => void) | undefined;
  #interruptWait: (() => void) | undefined;
  /** An interrupt is killing the shell's processes; a wait for the prompt holds on until it is done. */
  #killing = false;
  #killEndedAt = 0;
  #kills = 0;
  /** What the last interrupt did, for the next observation the caller keeps. */
  #notice = '';
  /** Shells being killed in the background; `close` waits for them. */
  readonly #disposals = new Set<Promise<void>>();
  #closed = false;

  constructor(options: TerminalSessionOptions) {
    this.#options = options;
  }

  async execute(request: TerminalRequest): Promise<TerminalResult> {
    if (this.#closed) throw new Error('The terminal session is closed.');
    const result = await this.#execute(request);
    if (this.#notice === '') return result;
    const withNotice = { ...result, suffix: `${result.suffix}${this.#notice}` };
    // An aborted caller drops its result (the runtime records its own error), so the next call reports the kills.
    if (!request.signal?.aborted) this.#notice = '';
    return withNotice;
  }

  async #execute(request: TerminalRequest): Promise<TerminalResult> {
    const command = request.command.trim();
    if (!this.#running) {
      if (command === '') return errorResult(command, NO_RUNNING_COMMAND_FOR_LOGS);
      if (request.isInput) return errorResult(command, NO_RUNNING_COMMAND_FOR_INPUT);
    }
    if (!request.isInput && command !== '') {
      const statements = splitTopLevelStatements(command);
      if (statements.length > 1) return errorResult(command, multipleCommandsError(statements));
    }

    if (this.#running && !request.isInput && command !== '') {
      if (completedOutput(this.#pendingText()) === undefined) return this.#refuseWhileRunning(command);
      // The earlier command finished since the last call; its remaining output is dropped.
      this.#running = false;
    }
    const continuing = this.#running;

    const shell = await this.#ensureShell();
    let ctrlLetter: string | undefined;
    if (!this.#running) {
      if (request.preamble !== undefined) await this.#runHidden(shell, request.preamble, request);
      if (request.signal?.aborted) return errorResult(command, COMMAND_NOT_RUN_INTERRUPTED);
      this.#clearPending();
      shell.write(`${command}\n`);
    } else if (request.isInput && command !== '') {
      const key = parseKey(command);
      ctrlLetter = key?.ctrlLetter;
      // Canonical-mode input ends lines with Enter (CR); keys go out as they are.
      shell.write(key ? key.sequence : `${command.replace(/\n/g, '\r')}\r`);
    }

    const outcome = await this.#wait(request);
    return this.#result(outcome, command, continuing, request, ctrlLetter);
  }

  /**
   * Kills every process the shell started (SIGINT to the running job, then SIGTERM, then SIGKILL) and ends the
   * wait in progress; the shell stays, or is restarted if it does not come back to its prompt. The report also
   * reaches the interrupted call's observation, or the next one when that call was aborted.
   */
  async interrupt(): Promise<KillReport> {
    const shell = this.#shell;
    if (shell === undefined) {
      this.#interruptWait?.();
      return EMPTY_KILL_REPORT;
    }
    this.#killing = true;
    this.#interruptWait?.();
    let report: KillReport;
    try {
      report = await shell.interrupt();
    } finally {
      this.#killing = false;
      this.#killEndedAt = Date.now();
      this.#kills += 1;
    }
    this.#notice += interruptReportNotice(report);
    if (this.#wake) this.#wake();
    else if (this.#running && this.#shell === shell) await this.#settleAfterInterrupt(shell);
    return report;
  }

  /** Kills the shell and every process it started. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#interruptWait?.();
    await this.#disposeShell();
    await Promise.all(this.#disposals);
  }

  #result(
    outcome: WaitOutcome,
    command: string,
    continuing: boolean,
    request: TerminalRequest,
    ctrlLetter: string | undefined,
  ): TerminalResult {
    const prefix = continuing ? CONTINUATION_PREFIX : '';
    const text = this.#pendingText();
    this.#clearPending();
    const cleanOutput = (raw: string) => removeCommandEcho(raw, continuing ? '' : command).trimEnd();

    const completed = outcome === 'completed' || outcome === 'interrupted-completed' ? completedOutput(text) : undefined;
    if (completed) {
      this.#running = false;
      return {
        command,
        output: cleanOutput(completed.output),
        prefix,
        suffix: completedSuffix(completed.metadata.exitCode, outcome === 'interrupted-completed' ? 'C' : ctrlLetter),
        exitCode: completed.metadata.exitCode,
        timedOut: false,
        isError: false,
        metadata: completed.metadata,
      };
    }
    if (outcome === 'exited') {
      const exitCode = this.#shell?.exitCode ?? -1;
      this.#running = false;
      this.#disposeInBackground();
      const suffix = shellExitedSuffix(exitCode);
      return { command, output: cleanOutput(text), prefix, suffix, exitCode, timedOut: false, isError: false };
    }
    if (outcome === 'unresponsive') {
      this.#running = false;
      this.#disposeInBackground();
      const suffix = SHELL_RESTARTED_AFTER_INTERRUPT;
      return { command, output: cleanOutput(text), prefix, suffix, exitCode: -1, timedOut: false, isError: false };
    }
    this.#running = true;
    const suffix =
      outcome === 'hard-timeout'
        ? hardTimeoutSuffix(request.timeoutSeconds ?? 0)
        : outcome === 'no-change'
          ? noChangeTimeoutSuffix(this.#options.noChangeTimeoutSeconds)
          : INTERRUPTED_SUFFIX;
    const timedOut = outcome !== 'interrupted';
    return { command, output: cleanOutput(text), prefix, suffix, exitCode: -1, timedOut, isError: false };
  }

  #refuseWhileRunning(command: string): TerminalResult {
    const output = this.#pendingText().trimEnd();
    this.#clearPending();
    return {
      command,
      output,
      prefix: CONTINUATION_PREFIX,
      suffix: notExecutedSuffix(command),
      exitCode: -1,
      timedOut: false,
      isError: true,
    };
  }

  /** Runs `command` and waits for its prompt, discarding the output. */
  async #runHidden(shell: PtyShell, command: string, request: TerminalRequest): Promise<void> {
    this.#clearPending();
    shell.write(`${command}\n`);
    await this.#wait(request);
    this.#clearPending();
  }

  /** Resolves when the prompt appears, output stops changing, the hard limit passes, or the call is interrupted. */
  #wait(request: TerminalRequest): Promise<WaitOutcome> {
    const shell = this.#shell;
    if (shell === undefined || shell.exitCode !== undefined) return Promise.resolve('exited');
    const started = Date.now();
    const killsBefore = this.#kills;
    this.#lastOutputAt = started;
    const hardMs = request.timeoutSeconds === undefined ? undefined : request.timeoutSeconds * 1000;
    const noChangeMs = hardMs === undefined ? this.#options.noChangeTimeoutSeconds * 1000 : undefined;

    return new Promise<WaitOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: WaitOutcome) => {
        clearInterval(timer);
        stopExit();
        request.signal?.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        this.#interruptWait = undefined;
        resolve(outcome);
      };
      let interruptedAt: number | undefined;
      const check = () => {
        // The call reports what the interrupt killed, so it ends only once the kills are done.
        if (interruptedAt !== undefined && this.#killing && !this.#closed) return;
        if (this.#sawPromptEnd && completedOutput(this.#pendingText()) !== undefined) {
          return finish(interruptedAt === undefined ? 'completed' : 'interrupted-completed');
        }
        const now = Date.now();
        if (interruptedAt !== undefined) {
          if (now - Math.max(interruptedAt, this.#killEndedAt) >= INTERRUPT_GRACE_MS || this.#closed) {
            finish(this.#kills !== killsBefore && !this.#closed ? 'unresponsive' : 'interrupted');
          }
          return;
        }
        if (hardMs !== undefined && now - started >= hardMs) return finish('hard-timeout');
        if (noChangeMs !== undefined && now - this.#lastOutputAt >= noChangeMs) return finish('no-change');
      };
      // SIGINT usually ends the job at once; waiting a moment for its prompt gives a real exit code.
      const onAbort = () => {
        interruptedAt ??= Date.now();
        check();
      };
      const stopExit = shell.onExit(() => finish('exited'));
      if (request.signal?.aborted) return finish('interrupted');
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.#interruptWait = onAbort;
      this.#wake = check;
      timer = setInterval(check, POLL_MS);
      check();
    });
  }

  #pendingText(): string {
    return normalizeTerminalText(this.#pending.text);
  }

  #clearPending(): void {
    this.#pending.clear();
    this.#sawPromptEnd = false;
  }

  #onData(data: string): void {
    this.#pending.append(data);
    this.#lastOutputAt = Date.now();
    if (!this.#sawPromptEnd && this.#pending.tail(data.length + PS1_END_WINDOW).includes(PS1_END)) {
      this.#sawPromptEnd = true;
    }
    this.#wake?.();
  }

  /**
   * A command left running (no call waits for it) was interrupted: its prompt should come back once its processes
   * are dead. A shell that stays busy (a builtin loop that ignores SIGINT) is replaced.
   */
  async #settleAfterInterrupt(shell: PtyShell): Promise<void> {
    const deadline = Date.now() + INTERRUPT_GRACE_MS;
    while (this.#shell === shell && shell.exitCode === undefined && completedOutput(this.#pendingText()) === undefined) {
      if (Date.now() >= deadline) {
        this.#notice += SHELL_RESTARTED_AFTER_INTERRUPT;
        await this.#disposeShell();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  async #ensureShell(): Promise<PtyShell> {
    if (this.#shell && this.#shell.exitCode === undefined) return this.#shell;
    // A shell that exited while idle may have left background jobs: they go with it.
    if (this.#shell) await this.#disposeShell();
    this.#starting ??= this.#startShell().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #startShell(): Promise<PtyShell> {
    const shell = new PtyShell({ shell: this.#options.shell, cwd: this.#options.workspace, env: this.#options.env });
    this.#shell = shell;
    this.#running = false;
    this.#clearPending();
    shell.onData((data) => this.#onData(data));
    shell.write(`${shellSetupCommand()}\n`);
    const startMs = this.#options.startTimeoutMs ?? 15_000;
    const outcome = await this.#wait({ command: '', isInput: false, timeoutSeconds: startMs / 1000 });
    if (outcome !== 'completed') {
      const seen = this.#pendingText().slice(-500);
      await this.#disposeShell();
      throw new Error(`The shell ${this.#options.shell} did not show its prompt (${outcome}). Its output: ${seen}`);
    }
    this.#clearPending();
    return shell;
  }

  async #disposeShell(): Promise<void> {
    const shell = this.#shell;
    this.#shell = undefined;
    this.#running = false;
    this.#clearPending();
    await shell?.kill();
  }

  #disposeInBackground(): void {
    const disposal = this.#disposeShell().finally(() => this.#disposals.delete(disposal));
    this.#disposals.add(disposal);
  }
}

function errorResult(command: string, text: string): TerminalResult {
  return { command, output: text, prefix: '', suffix: '', exitCode: null, timedOut: false, isError: true };
}
