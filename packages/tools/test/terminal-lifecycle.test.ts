import { afterEach, describe, expect, test } from 'vitest';
import type { ToolDefinition } from '@troupe/core';
import { terminalTool } from '../src/terminal/terminal-tool.js';
import { eventually, fakeContext, fakeEnvironment, sessionProcesses, toolRunner, type FakeEnvironment } from './helpers.js';

const opened: Array<{ tool: ToolDefinition; environment: FakeEnvironment }> = [];

async function openTerminal(options: Record<string, unknown> = {}, secrets?: Record<string, string>) {
  const environment = fakeEnvironment(secrets ? { secrets } : {});
  const tool = await terminalTool.create(environment, { noChangeTimeoutSeconds: 1, ...options });
  opened.push({ tool, environment });
  return { tool, environment, run: toolRunner(tool, environment) };
}

afterEach(async () => {
  for (const { tool, environment } of opened.splice(0)) {
    await tool.close?.();
    environment.cleanup();
  }
});

async function shellPid(run: ReturnType<typeof toolRunner>): Promise<number> {
  const result = await run({ command: 'echo $$' });
  return Number(result.text.split('\n')[0]);
}

describe('terminal lifecycle', () => {
  test('two instances have separate shells and working directories', async () => {
    const a = await openTerminal();
    const b = await openTerminal();
    await a.run({ command: 'cd / && export ONLY_A=1' });
    expect((await b.run({ command: 'pwd' })).text.split('\n')[0]).toBe(b.environment.workspace);
    expect((await b.run({ command: 'echo "[${ONLY_A:-unset}]"' })).text.split('\n')[0]).toBe('[unset]');
    expect(await shellPid(a.run)).not.toBe(await shellPid(b.run));
  });

  test('close() kills the shell and every process of its session', async () => {
    const { tool, run } = await openTerminal();
    const sid = await shellPid(run);
    await run({ command: 'sleep 1000 &' });
    await run({ command: '(sleep 1001 &)' });
    await run({ command: 'nohup sleep 1002 > /dev/null 2>&1 &' });
    expect((await sessionProcesses(sid)).filter((line) => line.includes('sleep 100')).length).toBe(3);
    await tool.close?.();
    expect(await sessionProcesses(sid)).toEqual([]);
  });

  test('interrupt() stops a running command and leaves the shell usable', async () => {
    const { tool, run } = await openTerminal({ noChangeTimeoutSeconds: 60 });
    const sid = await shellPid(run);
    const controller = new AbortController();
    const running = run({ command: 'sleep 100' }, controller.signal);
    await eventually(async () => (await sessionProcesses(sid)).some((line) => line.includes('sleep 100')));
    controller.abort();
    await tool.interrupt?.();
    const interrupted = await running;
    expect(interrupted.text).toContain('CTRL+C was sent');
    expect((await sessionProcesses(sid)).some((line) => line.includes('sleep 100'))).toBe(false);
    expect((await run({ command: 'echo usable' })).text.split('\n')[0]).toBe('usable');
  });

  test('reset gives a fresh shell in the workspace, with or without a command', async () => {
    const { run, environment } = await openTerminal();
    await run({ command: 'cd / && export RESET_ME=1' });
    const reset = await run({ command: '', reset: true });
    expect(reset).toMatchObject({
      isError: false,
      text: 'Terminal session has been reset. All previous environment variables and session state have been cleared.',
      data: { command: '[RESET]', exit_code: 0 },
    });
    expect((await run({ command: 'echo "$RESET_ME"' })).text.split('\n')[0]).toBe('');
    const withCommand = await run({ command: 'pwd', reset: true });
    expect(withCommand.data.command).toBe('[RESET] pwd');
    expect(withCommand.text.startsWith(
      `Terminal session has been reset. All previous environment variables and session state have been cleared.\n\n${environment.workspace}\n`,
    )).toBe(true);
  });

  test('a top-level exit ends the shell; the next command starts a new one', async () => {
    const { run, environment } = await openTerminal();
    const exited = await run({ command: 'exit 3' });
    expect(exited.data.exit_code).toBe(3);
    expect(exited.text).toContain('[The shell exited with code 3. The next command starts a new shell.]');
    expect((await run({ command: 'pwd' })).text.split('\n')[0]).toBe(environment.workspace);
  });

  test('reset together with is_input is an invalid call', async () => {
    const { tool, environment } = await openTerminal();
    await expect(
      tool.execute(tool.parameters.parse({ command: 'x', reset: true, is_input: true }), fakeContext(environment)),
    ).rejects.toThrow('Cannot use reset=True with is_input=True');
  });

  test('configured environment variables reach the shell and survive a reset', async () => {
    const { run } = await openTerminal({ env: { CLIENT_VAR: 'from-config' } });
    expect((await run({ command: 'echo $CLIENT_VAR' })).text.split('\n')[0]).toBe('from-config');
    await run({ command: '', reset: true });
    expect((await run({ command: 'echo $CLIENT_VAR' })).text.split('\n')[0]).toBe('from-config');
  });

  test('invalid configuration is rejected when the tool is created', async () => {
    const environment = fakeEnvironment();
    expect(() => terminalTool.create(environment, { env: { 'BAD-NAME': 'x' } })).toThrow(
      'Invalid terminal environment variable name: BAD-NAME',
    );
    expect(() => terminalTool.create(environment, { shell: '/nonexistent/bash' })).toThrow(
      'Shell binary is not executable: /nonexistent/bash',
    );
    environment.cleanup();
  });
});

describe('secrets', () => {
  const secrets = { API_KEY: 'abc123-secret-value', OTHER_TOKEN: "zz'other\nvalue" };

  test('a secret named in the command is exported first, unseen, and its value is masked', async () => {
    const { run } = await openTerminal({}, secrets);
    const result = await run({ command: 'echo "key=$API_KEY"' });
    expect(result.text.split('\n')[0]).toBe('key=<secret-hidden>');
    expect(result.text).not.toContain('abc123');
    expect(result.text).not.toContain('export');
    const length = await run({ command: 'echo ${#API_KEY}' });
    expect(length.text.split('\n')[0]).toBe(String(secrets.API_KEY.length));
  });

  test('values are masked even when the command did not name the secret', async () => {
    const { run } = await openTerminal({}, secrets);
    const result = await run({ command: 'echo abc123-secret-value; printf "%s\\n" "unnamed"' });
    expect(result.text.split('\n')[0]).toBe('<secret-hidden>');
    expect((await run({ command: 'echo "[$OTHER_TOKEN]"' })).text).not.toContain('other');
  });
});
