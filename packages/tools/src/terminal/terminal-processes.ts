import { readCommandLine, readProcessEntry, readProcessTable, type ProcessEntry } from './proc-fs.js';
import { processKey, selectProcessTree, TERMINAL_MARKER, type TreeRoot } from './process-tree.js';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGKILL';

/** A process a kill stopped, with the signal after which it was gone. */
export interface StoppedProcess {
  readonly pid: number;
  readonly command: string;
  readonly signal: StopSignal;
}

/** What a kill did. */
export interface KillReport {
  readonly stopped: readonly StoppedProcess[];
  /** Processes still alive after SIGKILL (another user's, or stuck in the kernel). */
  readonly survivors: ReadonlyArray<{ readonly pid: number; readonly command: string }>;
  /** False where /proc is missing: nothing could be tracked beyond the shell's own process group. */
  readonly tracked: boolean;
}

export const EMPTY_KILL_REPORT: KillReport = { stopped: [], survivors: [], tracked: true };

export interface KillPlan {
  /** Spare the interactive shell (interrupt) or kill it last (close). */
  readonly keepShell: boolean;
  /** Sends SIGINT to the foreground job first and returns its process group, when known. */
  readonly interrupt?: () => number | undefined;
}

/** How long each signal has to work before the next, stronger one. */
const GRACE_MS = 500;
const POLL_MS = 20;
const KILL_PASSES = 10;

/**
 * The processes one shell started, found by its marker, its session and parentage (see `selectProcessTree`), and
 * killed in stages: SIGINT to the foreground job, SIGTERM to everything left, SIGKILL to what still lives. Scans
 * run only when killing, never per command.
 */
export class TerminalProcesses {
  readonly #root: TreeRoot;
  /** The shell's short name: the shell pid is spared only while it still runs the shell (not after `exec`). */
  readonly #shellName: string;
  /** Every process seen in a scan, so that one whose parent died meanwhile is still found. */
  readonly #known = new Set<string>();

  constructor(root: TreeRoot, shellName: string) {
    this.#root = root;
    this.#shellName = shellName.slice(0, 15);
  }

  async kill(plan: KillPlan): Promise<KillReport> {
    const first = await this.#scan();
    if (first === undefined) return this.#killWithoutProc(plan);
    const commands = new Map<string, { entry: ProcessEntry; command: string }>();
    const stoppedBy = new Map<string, StopSignal>();
    const isShell = (entry: ProcessEntry) => entry.pid === this.#root.shellPid && entry.name === this.#shellName;
    const note = async (entries: readonly ProcessEntry[]) => {
      for (const entry of entries) {
        const key = processKey(entry);
        if (!commands.has(key)) commands.set(key, { entry, command: await readCommandLine(entry) });
      }
    };
    const stage = async (signal: StopSignal, targets: readonly ProcessEntry[], graceMs: number) => {
      await note(targets);
      await waitUntilGone(targets, graceMs);
      for (const entry of targets) if (!isAlive(entry)) stoppedBy.set(processKey(entry), stoppedBy.get(processKey(entry)) ?? signal);
    };

    if (plan.interrupt) {
      await note(first.filter((entry) => !isShell(entry)));
      const group = plan.interrupt();
      await stage('SIGINT', first.filter((entry) => group !== undefined && entry.processGroup === group && !isShell(entry)), GRACE_MS);
    }
    const terminate = ((await this.#scan()) ?? []).filter((entry) => !isShell(entry));
    for (const entry of terminate) {
      send(entry.pid, 'SIGTERM');
      // A stopped job (C-z) handles SIGTERM only once it runs again.
      send(entry.pid, 'SIGCONT');
    }
    await stage('SIGTERM', terminate, GRACE_MS);
    for (let pass = 0; pass < KILL_PASSES; pass += 1) {
      const remaining = ((await this.#scan()) ?? []).filter((entry) => !(plan.keepShell && isShell(entry)));
      if (remaining.length === 0) break;
      for (const entry of remaining) send(entry.pid, 'SIGKILL');
      await stage('SIGKILL', remaining, GRACE_MS);
    }

    const survivors = ((await this.#scan()) ?? []).filter((entry) => !(plan.keepShell && isShell(entry)));
    await note(survivors);
    const stopped: StoppedProcess[] = [];
    for (const [key, signal] of stoppedBy) {
      const seen = commands.get(key);
      if (seen && !isShell(seen.entry)) stopped.push({ pid: seen.entry.pid, command: seen.command, signal });
    }
    return {
      stopped,
      survivors: survivors.map((entry) => ({ pid: entry.pid, command: commands.get(processKey(entry))?.command ?? entry.name })),
      tracked: true,
    };
  }

  /** The terminal's live processes, or `undefined` where /proc is missing. */
  async #scan(): Promise<ProcessEntry[] | undefined> {
    const table = await readProcessTable(TERMINAL_MARKER);
    if (table === undefined) return undefined;
    const members = selectProcessTree(table, this.#root, this.#known, new Set([process.pid]));
    for (const entry of members) this.#known.add(processKey(entry));
    return members;
  }

  /** Without /proc only the shell's own process group can be reached. */
  #killWithoutProc(plan: KillPlan): KillReport {
    plan.interrupt?.();
    if (!plan.keepShell) {
      send(-this.#root.shellPid, 'SIGKILL');
      send(this.#root.shellPid, 'SIGKILL');
    }
    return { stopped: [], survivors: [], tracked: false };
  }
}

function isAlive(entry: ProcessEntry): boolean {
  const now = readProcessEntry(entry.pid);
  return now !== undefined && now.startTime === entry.startTime && now.state !== 'Z';
}

async function waitUntilGone(entries: readonly ProcessEntry[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (entries.some(isAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone, or not ours to signal: a survivor is reported.
  }
}
