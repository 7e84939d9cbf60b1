import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import * as pty from 'node-pty';
import { foregroundProcessGroup } from './proc-fs.js';
import { TERMINAL_MARKER } from './process-tree.js';
import { TerminalProcesses, type KillReport } from './terminal-processes.js';

export interface PtyShellOptions {
  readonly shell: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * An interactive bash on a pseudo-terminal. node-pty starts it with `setsid`, so the shell leads its own session
 * and process group, owns the terminal, and runs each job in a process group of its own. Its environment carries
 * a marker unique to this shell, by which every process it starts can be found and killed.
 */
export class PtyShell {
  readonly #pty: pty.IPty;
  readonly #processes: TerminalProcesses;
  #exitCode: number | undefined;
  readonly #dataListeners = new Set<(data: string) => void>();
  readonly #exitListeners = new Set<(exitCode: number) => void>();

  constructor(options: PtyShellOptions) {
    const terminalId = randomUUID();
    this.#pty = pty.spawn(options.shell, ['--noprofile', '--norc', '-i'], {
      name: options.env.TERM ?? 'xterm-256color',
      cols: 250,
      rows: 50,
      cwd: options.cwd,
      env: { ...options.env, [TERMINAL_MARKER]: terminalId },
    });
    this.#processes = new TerminalProcesses({ shellPid: this.#pty.pid, terminalId }, basename(options.shell));
    this.#pty.onData((data) => {
      for (const listener of this.#dataListeners) listener(data);
    });
    this.#pty.onExit(({ exitCode }) => {
      this.#exitCode = exitCode;
      for (const listener of this.#exitListeners) listener(exitCode);
    });
  }

  get pid(): number {
    return this.#pty.pid;
  }

  /** The shell's exit code once it has exited. */
  get exitCode(): number | undefined {
    return this.#exitCode;
  }

  onData(listener: (data: string) => void): () => void {
    this.#dataListeners.add(listener);
    return () => this.#dataListeners.delete(listener);
  }

  onExit(listener: (exitCode: number) => void): () => void {
    this.#exitListeners.add(listener);
    return () => this.#exitListeners.delete(listener);
  }

  write(data: string): void {
    if (this.#exitCode === undefined) this.#pty.write(data);
  }

  /**
   * Stops everything the shell started and leaves the shell itself running: SIGINT to the foreground job, then
   * SIGTERM and SIGKILL, each after a short grace, to every process that is left (background, `nohup` and `setsid`
   * jobs included).
   */
  async interrupt(): Promise<KillReport> {
    const interrupt = this.#exitCode === undefined ? () => this.#sendInterrupt() : undefined;
    return this.#processes.kill({ keepShell: true, ...(interrupt ? { interrupt } : {}) });
  }

  /** Kills the shell and every process it started. */
  async kill(): Promise<KillReport> {
    const report = await this.#processes.kill({ keepShell: false });
    this.#dataListeners.clear();
    this.#exitListeners.clear();
    return report;
  }

  /**
   * SIGINT to the terminal's foreground process group, which reaches the running job even when it reads the
   * terminal in raw mode; returns that group. Where /proc is missing, CTRL+C is typed instead.
   */
  #sendInterrupt(): number | undefined {
    const group = foregroundProcessGroup(this.pid);
    if (group !== undefined) {
      try {
        process.kill(-group, 'SIGINT');
        return group;
      } catch {
        // The group ended meanwhile; typing CTRL+C reaches whatever runs now.
      }
    }
    this.#pty.write('\x03');
    return undefined;
  }
}
