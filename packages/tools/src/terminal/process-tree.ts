import type { ProcessEntry, ProcessWithVariable } from './proc-fs.js';

/**
 * The variable that marks every process a terminal started: each shell gets a unique value, and children inherit
 * it even when they leave the shell's session (`setsid`) or are reparented to init (`nohup … &`, double forks).
 */
export const TERMINAL_MARKER = 'TROUPE_TERMINAL_ID';

export interface TreeRoot {
  readonly shellPid: number;
  readonly terminalId: string;
}

/** A process's identity: its pid with its start time, so that a reused pid is never taken for the old process. */
export function processKey(entry: Pick<ProcessEntry, 'pid' | 'startTime'>): string {
  return `${entry.pid}@${entry.startTime}`;
}

/**
 * The live processes of a terminal in a process table: those carrying its marker, those seen in an earlier scan
 * (`known`), those in the shell's session, and every descendant of these by parentage (which also catches a
 * child that cleared its environment, while its parent lives). `excluded` pids (the server itself) never count.
 */
export function selectProcessTree(
  table: readonly ProcessWithVariable[],
  root: TreeRoot,
  known: ReadonlySet<string>,
  excluded: ReadonlySet<number>,
): ProcessWithVariable[] {
  const live = table.filter((entry) => entry.state !== 'Z' && !excluded.has(entry.pid));
  const isOurs = (entry: ProcessWithVariable) => entry.variable === root.terminalId || known.has(processKey(entry));
  const shell = live.find((entry) => entry.pid === root.shellPid);
  const shellAlive = shell !== undefined && isOurs(shell);
  const members = new Set(live.filter((entry) => isOurs(entry) || (shellAlive && entry.session === root.shellPid)));

  const children = new Map<number, ProcessWithVariable[]>();
  for (const entry of live) children.set(entry.parentPid, [...(children.get(entry.parentPid) ?? []), entry]);
  const queue = [...members];
  for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
    for (const child of children.get(next.pid) ?? []) {
      if (!members.has(child)) {
        members.add(child);
        queue.push(child);
      }
    }
  }
  return [...members];
}
