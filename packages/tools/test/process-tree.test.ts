import { describe, expect, test } from 'vitest';
import { parseProcessEntry, type ProcessWithVariable } from '../src/terminal/proc-fs.js';
import { processKey, selectProcessTree } from '../src/terminal/process-tree.js';

const ID = 'terminal-a';

function proc(pid: number, parentPid: number, extra: Partial<ProcessWithVariable> = {}): ProcessWithVariable {
  return { pid, parentPid, name: 'sleep', state: 'S', processGroup: pid, session: pid, startTime: 1000 + pid, ...extra };
}

const shell = proc(100, 50, { name: 'bash', variable: ID });

function select(table: ProcessWithVariable[], known: string[] = [], excluded: number[] = []): number[] {
  return selectProcessTree(table, { shellPid: 100, terminalId: ID }, new Set(known), new Set(excluded))
    .map((entry) => entry.pid)
    .sort((a, b) => a - b);
}

describe('selectProcessTree', () => {
  test('marked processes anywhere, the shell session, and descendants by parentage', () => {
    expect(
      select([
        proc(1, 0, { name: 'init' }),
        proc(50, 1, { name: 'node' }),
        shell,
        proc(101, 100), // a child that cleared its environment
        proc(102, 101), // and its child
        proc(103, 1, { session: 100 }), // reparented, still in the shell's session
        proc(200, 1, { variable: ID }), // setsid daemon reparented to init
        proc(201, 200),
        proc(300, 1, { variable: 'terminal-b' }), // another terminal's
        proc(301, 50), // the server's own child
      ]),
    ).toEqual([100, 101, 102, 103, 200, 201]);
  });

  test('processes seen before stay tracked, but not a later process that reuses the pid', () => {
    const orphan = proc(400, 1);
    expect(select([shell, orphan], [processKey(orphan)])).toEqual([100, 400]);
    expect(select([shell, { ...orphan, startTime: 99_999 }], [processKey(orphan)])).toEqual([100]);
  });

  test('zombies and excluded pids never count; a dead shell no longer claims its session', () => {
    expect(select([shell, proc(101, 100, { state: 'Z' }), proc(102, 100)], [], [102])).toEqual([100]);
    const stranger = proc(100, 1, { name: 'bash' }); // pid 100 reused by an unmarked process
    expect(select([stranger, proc(103, 1, { session: 100 })])).toEqual([]);
  });
});

describe('parseProcessEntry', () => {
  test('reads parent, group, session and start time after a name with spaces and parentheses', () => {
    const stat = '4242 (my (odd) name) S 7 4242 4240 34816 4250 4194560 0 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10';
    expect(parseProcessEntry(stat)).toEqual({
      pid: 4242,
      parentPid: 7,
      name: 'my (odd) name',
      state: 'S',
      processGroup: 4242,
      session: 4240,
      startTime: 987654,
    });
    expect(parseProcessEntry('4242 (short) S 7 4242')).toBeUndefined();
  });
});
