import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ToolDefinition } from '@troupe/core';
import { terminalTool } from '../src/terminal/terminal-tool.js';
import {
  eventually,
  fakeEnvironment,
  isAlive,
  markedProcesses,
  recordingLogger,
  toolRunner,
  type FakeEnvironment,
} from './helpers.js';

const opened: Array<{ tool: ToolDefinition; environment: FakeEnvironment }> = [];

async function openTerminal() {
  const logger = recordingLogger();
  const environment = fakeEnvironment({ logger });
  const tool = await terminalTool.create(environment, { noChangeTimeoutSeconds: 60 });
  opened.push({ tool, environment });
  const run = toolRunner(tool, environment);
  const firstLine = async (command: string) => (await run({ command })).text.split('\n')[0] ?? '';
  const shellPid = Number(await firstLine('echo $$'));
  const terminalId = await firstLine('echo $TROUPE_TERMINAL_ID');
  expect(terminalId).toMatch(/^[0-9a-f-]{36}$/);
  const descendants = async () => (await markedProcesses(terminalId)).filter((entry) => entry.pid !== shellPid);
  return { tool, run, firstLine, shellPid, terminalId, descendants, logger, workspace: environment.workspace };
}

afterEach(async () => {
  for (const { tool, environment } of opened.splice(0)) {
    await tool.close?.();
    environment.cleanup();
  }
});

/** Background commands run first (each prints `$!` where it can), then a foreground command that the test interrupts. */
const cases: Array<{ name: string; background: string[]; foreground: string; sleeps: number }> = [
  { name: 'a background job inside a foreground bash -c', background: [], foreground: "bash -c 'sleep 300 & sleep 300'", sleeps: 2 },
  { name: 'a command ignoring SIGINT and SIGTERM', background: [], foreground: "bash -c \"trap '' INT TERM; sleep 300\"", sleeps: 1 },
  { name: 'a nohup job, then a foreground command', background: ['nohup sleep 300 > /dev/null 2>&1 &'], foreground: 'sleep 300', sleeps: 2 },
  { name: 'a setsid job in a session of its own', background: ['setsid sleep 300 > /dev/null 2>&1 &'], foreground: 'sleep 300', sleeps: 2 },
  {
    name: 'a double-forked daemon (fork, setsid, fork) reparented to init',
    background: ["bash -c 'setsid bash -c \"(sleep 300 > /dev/null 2>&1 &)\" &'"],
    foreground: 'sleep 300',
    sleeps: 2,
  },
];

describe('interrupt kills the whole process tree', () => {
  test.each(cases)('$name', async ({ background, foreground, sleeps }) => {
    const { tool, run, firstLine, descendants, logger } = await openTerminal();
    for (const command of background) await run({ command });
    const controller = new AbortController();
    const running = run({ command: foreground }, controller.signal);
    await eventually(async () => (await descendants()).filter((entry) => entry.command === 'sleep 300').length === sleeps);

    controller.abort();
    await tool.interrupt?.();
    const interrupted = await running;

    expect(await descendants()).toEqual([]);
    expect(interrupted.text).toContain("[The interrupt stopped the terminal's processes: ");
    expect(interrupted.text).toMatch(/\d+ `sleep 300` \(SIG(INT|TERM|KILL)\)/);
    const logged = logger.lines.find((line) => line.message.startsWith('The terminal interrupt stopped'));
    expect(JSON.stringify(logged?.fields?.stopped)).toContain('sleep 300');
    expect(await firstLine('echo usable')).toBe('usable');
  });

  test('a process that ignores SIGINT and SIGTERM dies by SIGKILL, and the report says so', async () => {
    const { tool, run, descendants } = await openTerminal();
    const controller = new AbortController();
    const running = run({ command: "trap '' INT TERM; sleep 300" }, controller.signal);
    await eventually(async () => (await descendants()).some((entry) => entry.command === 'sleep 300'));
    controller.abort();
    await tool.interrupt?.();
    expect((await running).text).toMatch(/\d+ `sleep 300` \(SIGKILL\)/);
  });

  test('a child that cleared its environment is found by parentage', async () => {
    const { tool, run, firstLine, descendants } = await openTerminal();
    const started = await run({ command: 'env -i sleep 300 > /dev/null 2>&1 & echo "pid=$!"' });
    const pid = Number(/pid=(\d+)/.exec(started.text)?.[1]);
    expect(await isAlive(pid)).toBe(true);
    const controller = new AbortController();
    const running = run({ command: 'sleep 301' }, controller.signal);
    await eventually(async () => (await descendants()).some((entry) => entry.command === 'sleep 301'));
    controller.abort();
    await tool.interrupt?.();
    await running;
    expect(await isAlive(pid)).toBe(false);
    expect(await firstLine('echo usable')).toBe('usable');
  });

  test('the report reaches the next observation when the interrupted call was dropped, and only that one', async () => {
    const { tool, run, firstLine, descendants } = await openTerminal();
    const controller = new AbortController();
    const running = run({ command: 'sleep 300' }, controller.signal);
    await eventually(async () => (await descendants()).some((entry) => entry.command === 'sleep 300'));
    controller.abort();
    await tool.interrupt?.();
    await running;
    const next = await run({ command: 'echo next' });
    expect(next.text.split('\n')[0]).toBe('next');
    expect(next.text).toContain("[The interrupt stopped the terminal's processes: ");
    expect((await run({ command: 'echo after' })).text).not.toContain('The interrupt stopped');
    expect(await firstLine('echo usable')).toBe('usable');
  });

  test('a shell that stays busy after the interrupt is restarted', async () => {
    const { tool, run, firstLine, shellPid, workspace } = await openTerminal();
    const controller = new AbortController();
    const running = run({ command: "trap '' INT; touch started; while true; do read -t 1 _; done" }, controller.signal);
    await eventually(async () => existsSync(join(workspace, 'started')));
    controller.abort();
    await tool.interrupt?.();
    expect((await running).text).toContain('[The shell did not return to its prompt after the interrupt, so it was restarted');
    expect(Number(await firstLine('echo $$'))).not.toBe(shellPid);
    expect(await firstLine('echo usable')).toBe('usable');
  });

  test('a shell replaced by the interrupted command (exec) is started anew', async () => {
    const { tool, run, firstLine, terminalId } = await openTerminal();
    const controller = new AbortController();
    const running = run({ command: 'exec sleep 300' }, controller.signal);
    await eventually(async () => (await markedProcesses(terminalId)).some((entry) => entry.command === 'sleep 300'));
    controller.abort();
    await tool.interrupt?.();
    expect((await running).text).toContain('The next command starts a new shell.');
    expect(await firstLine('echo usable')).toBe('usable');
  });
});

describe('close', () => {
  test('kills every process the shell started, setsid and double-forked ones included', async () => {
    const { tool, run, terminalId, descendants } = await openTerminal();
    await run({ command: 'setsid sleep 300 > /dev/null 2>&1 &' });
    await run({ command: 'nohup sleep 300 > /dev/null 2>&1 &' });
    await run({ command: "bash -c 'setsid bash -c \"(sleep 300 > /dev/null 2>&1 &)\" &'" });
    await run({ command: "bash -c \"trap '' TERM HUP; sleep 300\" > /dev/null 2>&1 &" });
    await eventually(async () => (await descendants()).filter((entry) => entry.command.endsWith('sleep 300')).length === 4);
    await tool.close?.();
    expect(await markedProcesses(terminalId)).toEqual([]);
  });
});
