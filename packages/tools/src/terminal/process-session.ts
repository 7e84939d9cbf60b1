import { readdir, readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

/** The fields of `/proc/<pid>/stat` the terminal needs. */
export interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly processGroup: number;
  readonly session: number;
  /** The foreground process group of the process's controlling terminal. */
  readonly terminalProcessGroup: number;
}

/** Parses `/proc/<pid>/stat`. The command name may hold spaces and parentheses, so fields count from the last `)`. */
export function parseProcStat(stat: string): ProcStat | undefined {
  const nameEnd = stat.lastIndexOf(')');
  if (nameEnd === -1) return undefined;
  const pid = Number.parseInt(stat, 10);
  // After the name: state ppid pgrp session tty_nr tpgid ...
  const [state, , pgrp, session, , tpgid] = stat.slice(nameEnd + 2).split(' ');
  if (state === undefined || pgrp === undefined || session === undefined || tpgid === undefined) return undefined;
  return {
    pid,
    state,
    processGroup: Number(pgrp),
    session: Number(session),
    terminalProcessGroup: Number(tpgid),
  };
}

/** The live (not zombie) processes of session `sessionId`, from /proc. Empty where /proc does not exist. */
export async function listSessionProcesses(sessionId: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
        const parsed = stat === undefined ? undefined : parseProcStat(stat);
        if (parsed && parsed.session === sessionId && parsed.state !== 'Z') members.push(parsed.pid);
      }),
  );
  return members;
}

/** The foreground process group of the terminal that `pid` controls, when /proc can tell. */
export function foregroundProcessGroup(pid: number): number | undefined {
  try {
    const parsed = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return parsed && parsed.terminalProcessGroup > 0 ? parsed.terminalProcessGroup : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SIGKILLs every process of the session led by `sessionId` (background jobs and jobs in their own process groups
 * included) until none is left. Processes that started a session of their own (`setsid`) are out of reach.
 */
export async function killSession(sessionId: number): Promise<void> {
  signal(-sessionId, 'SIGKILL');
  for (let pass = 0; pass < 20; pass += 1) {
    const members = await listSessionProcesses(sessionId);
    if (members.length === 0) return;
    for (const pid of members) signal(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}
