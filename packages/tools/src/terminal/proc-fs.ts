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

/** One process, as the terminal's process tracking sees it. */
export interface ProcessEntry {
  readonly pid: number;
  readonly parentPid: number;
  /** The kernel's short command name (at most 15 characters). */
  readonly name: string;
  readonly state: string;
  readonly processGroup: number;
  readonly session: number;
  /** Clock ticks since boot at which the process started: with the pid, it tells a process from a later reuse of its pid. */
  readonly startTime: number;
}

/** The command name and the fields after it. The name may hold spaces and parentheses, so fields count from the last `)`. */
function splitStat(stat: string): { pid: number; name: string; fields: string[] } | undefined {
  const nameStart = stat.indexOf('(');
  const nameEnd = stat.lastIndexOf(')');
  if (nameStart === -1 || nameEnd < nameStart) return undefined;
  // After the name: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime
  // cstime priority nice num_threads itrealvalue starttime ...
  return { pid: Number.parseInt(stat, 10), name: stat.slice(nameStart + 1, nameEnd), fields: stat.slice(nameEnd + 2).split(' ') };
}

/** Parses `/proc/<pid>/stat`. */
export function parseProcStat(stat: string): ProcStat | undefined {
  const split = splitStat(stat);
  if (split === undefined) return undefined;
  const [state, , pgrp, session, , tpgid] = split.fields;
  if (state === undefined || pgrp === undefined || session === undefined || tpgid === undefined) return undefined;
  return {
    pid: split.pid,
    state,
    processGroup: Number(pgrp),
    session: Number(session),
    terminalProcessGroup: Number(tpgid),
  };
}

/** Parses `/proc/<pid>/stat` into the fields that track a process. */
export function parseProcessEntry(stat: string): ProcessEntry | undefined {
  const split = splitStat(stat);
  if (split === undefined) return undefined;
  const [state, ppid, pgrp, session] = split.fields;
  const startTime = split.fields[19];
  if (state === undefined || ppid === undefined || pgrp === undefined || session === undefined || startTime === undefined) {
    return undefined;
  }
  return {
    pid: split.pid,
    parentPid: Number(ppid),
    name: split.name,
    state,
    processGroup: Number(pgrp),
    session: Number(session),
    startTime: Number(startTime),
  };
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

/** One process now; `undefined` once it is gone. */
export function readProcessEntry(pid: number): ProcessEntry | undefined {
  try {
    return parseProcessEntry(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A process with the value its environment holds for a variable, when it can be read. */
export interface ProcessWithVariable extends ProcessEntry {
  readonly variable?: string;
}

/**
 * Every process, with the value of `variable` in its initial environment (`/proc/<pid>/environ`). `undefined`
 * where /proc does not exist. Processes that end during the scan are left out.
 */
export async function readProcessTable(variable: string): Promise<ProcessWithVariable[] | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const prefix = `${variable}=`;
  const table = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry): Promise<ProcessWithVariable | undefined> => {
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => undefined);
        const parsed = stat === undefined ? undefined : parseProcessEntry(stat);
        if (parsed === undefined) return undefined;
        const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
        const found = environ.split('\0').find((assignment) => assignment.startsWith(prefix));
        return found === undefined ? parsed : { ...parsed, variable: found.slice(prefix.length) };
      }),
  );
  return table.filter((entry): entry is ProcessWithVariable => entry !== undefined);
}

/** A process's command line with spaces between its arguments; its short name when that cannot be read. */
export async function readCommandLine(entry: ProcessEntry): Promise<string> {
  const text = await readFile(`/proc/${entry.pid}/cmdline`, 'utf8').catch(() => '');
  const joined = text.split('\0').filter((part) => part !== '').join(' ');
  return joined === '' ? entry.name : joined;
}
