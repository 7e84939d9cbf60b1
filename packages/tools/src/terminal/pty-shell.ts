import * as pty from 'node-pty';
import { foregroundProcessGroup, killSession } from './process-session.js';

export interface PtyShellOptions {
  readonly shell: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * An interactive bash on a pseudo-terminal. node-pty starts it with `setsid`, so the shell leads its own session
 * and process group, owns the terminal, and runs each job in a process group of its own.
 */
export class PtyShell {
  readonly #pty: pty.IPty;
  #exitCode: number | undefined;
  readonly #dataListeners = new Set<(data: string) => void>();
  readonly #exitListeners = new Set<(exitCode: number) => void>();

  constructor(options: PtyShellOptions) {
    this.#pty = pty.spawn(options.shell, ['--noprofile', '--norc', '-i'], {
      name: options.env.TERM ?? 'xterm-256color',
      cols: 250,
      rows: 50,
      cwd: options.cwd,
      env: { ...options.env },
    });
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
   * SIGINT to the terminal's foreground process group, which reaches the running job even when it reads the
   * terminal in raw mode. Where /proc is missing, CTRL+C is typed instead.
   */
  interrupt(): void {
    if (this.#exitCode !== undefined) return;
    const group = foregroundProcessGroup(this.pid);
    if (group === undefined) {
      this.#pty.write('\x03');
      return;
    }
    try {
      process.kill(-group, 'SIGINT');
    } catch {
      this.#pty.write('\x03');
    }
  }

  /** Kills the shell and every process of its session. */
  async kill(): Promise<void> {
    await killSession(this.pid);
    this.#dataListeners.clear();
    this.#exitListeners.clear();
  }
}
