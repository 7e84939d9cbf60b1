import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ToolDefinition } from '@troupe/core';
import { terminalTool } from '../src/terminal/terminal-tool.js';
import { TIMEOUT_MESSAGE } from '../src/terminal/messages.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;
let tool: ToolDefinition;
let run: ReturnType<typeof toolRunner>;

beforeEach(async () => {
  environment = fakeEnvironment();
  tool = await terminalTool.create(environment, { noChangeTimeoutSeconds: 1 });
  run = toolRunner(tool, environment);
});

afterEach(async () => {
  await tool.close?.();
  environment.cleanup();
});

/** The command's own text: what the model sees up to the first metadata line. */
function outputOf(text: string): string {
  return text.split('\n[Current working directory:')[0] ?? '';
}

describe('basic commands', () => {
  test('echo, with the exact completion suffix and metadata lines', async () => {
    const result = await run({ command: "echo 'hello world'" });
    expect(result.isError).toBe(false);
    expect(outputOf(result.text)).toBe('hello world\n[The command completed with exit code 0.]');
    expect(result.text).toContain(`\n[Current working directory: ${environment.workspace}]`);
    expect(result.text.endsWith('\n[Command finished with exit code 0]')).toBe(true);
    expect(result.data).toMatchObject({ command: "echo 'hello world'", exit_code: 0, metadata: { exit_code: 0, working_dir: environment.workspace } });
  });

  test('a missing command is captured with its exit code', async () => {
    const result = await run({ command: 'nonexistent_command_xyz' });
    expect(result.text).toContain('command not found');
    expect(result.data.exit_code).toBe(127);
    expect(result.text).toContain('[The command completed with exit code 127.]');
  });

  test('&& chains run as one command; !, tabs and heredocs pass through unchanged', async () => {
    expect(outputOf((await run({ command: 'echo first && echo second' })).text)).toBe(
      'first\nsecond\n[The command completed with exit code 0.]',
    );
    expect((await run({ command: 'echo A!B' })).text).toContain('A!B');
    const heredoc = await run({ command: "cat <<'EOF'\n\tindented $HOME\nEOF" });
    expect(outputOf(heredoc.text)).toBe('\tindented $HOME\n[The command completed with exit code 0.]');
  });

  test('cwd, exported variables and functions persist between calls', async () => {
    await run({ command: 'mkdir -p sub && cd sub && export GREETING=hi && greet() { echo "$GREETING $1"; }' });
    const result = await run({ command: 'pwd && greet there' });
    expect(outputOf(result.text)).toBe(`${environment.workspace}/sub\nhi there\n[The command completed with exit code 0.]`);
    expect(result.data.metadata).toMatchObject({ working_dir: `${environment.workspace}/sub` });
  });

  test('pagers do not take over the terminal', async () => {
    const result = await run({ command: 'printf "line1\\nline2\\n" | ${PAGER:-less}' });
    expect(outputOf(result.text)).toBe('line1\nline2\n[The command completed with exit code 0.]');
  });
});

describe('long-running commands', () => {
  test('soft timeout, then empty command for more output, a refused command, then the next command runs', async () => {
    const first = await run({ command: 'echo start; sleep 2; echo end' });
    expect(first.data.exit_code).toBe(-1);
    expect(first.text).toBe(`start\n[The command has no new output after 1 seconds. ${TIMEOUT_MESSAGE}]`);

    const refused = await run({ command: 'echo other' });
    expect(refused.isError).toBe(true);
    expect(refused.text.startsWith('[An error occurred during execution.]\n[Below is the output of the previous command.]\n')).toBe(true);
    expect(refused.text).toContain('The previous command is still running');
    expect(refused.text).toContain('[Your command "echo other" is NOT executed.');

    let followUp = await run({ command: '', is_input: true });
    while (followUp.data.exit_code === -1) followUp = await run({ command: '', is_input: true });
    expect(followUp.text.startsWith('[Below is the output of the previous command.]\n')).toBe(true);
    expect(followUp.text).toContain('end\n[The command completed with exit code 0.]');

    expect(outputOf((await run({ command: 'echo next' })).text)).toBe('next\n[The command completed with exit code 0.]');
  });

  test('interactive input: read -p then is_input text', async () => {
    const prompt = await run({ command: 'read -p "Enter name: " name && echo "Hello $name"' });
    expect(prompt.data.exit_code).toBe(-1);
    expect(prompt.text).toContain('Enter name:');
    const answer = await run({ command: 'John', is_input: true });
    expect(answer.text).toContain('Hello John');
    expect(answer.data.exit_code).toBe(0);
  });

  test('a heredoc fed line by line through is_input', async () => {
    expect((await run({ command: 'cat << EOF' })).data.exit_code).toBe(-1);
    await run({ command: 'line 1', is_input: true });
    await run({ command: 'line 2', is_input: true });
    const done = await run({ command: 'EOF', is_input: true });
    expect(done.text).toContain('line 1\nline 2');
    expect(done.data.exit_code).toBe(0);
  });

  test('C-c stops the running command and says so; the session stays usable', async () => {
    expect((await run({ command: 'sleep 30' })).data.exit_code).toBe(-1);
    const stopped = await run({ command: 'C-c', is_input: true });
    expect([130, 1]).toContain(stopped.data.exit_code);
    expect(stopped.text).toContain('CTRL+C was sent');
    expect(outputOf((await run({ command: 'echo alive' })).text)).toBe('alive\n[The command completed with exit code 0.]');
  });

  test('exit codes: completed 0, soft timeout -1, hard timeout -1 with its own suffix', async () => {
    expect((await run({ command: 'true' })).data.exit_code).toBe(0);
    const soft = await run({ command: 'sleep 3' });
    expect(soft.data.exit_code).toBe(-1);
    expect(soft.data.timeout).toBe(true);
    await run({ command: 'C-c', is_input: true });

    const hard = await run({ command: 'sleep 10', timeout: 1 });
    expect(hard.data.exit_code).toBe(-1);
    expect(hard.text).toBe(`\n[The command timed out after 1 seconds. ${TIMEOUT_MESSAGE}]`);
    expect(hard.text).not.toContain('[Command finished');
    await run({ command: 'C-c', is_input: true });
  });
});

describe('errors', () => {
  test('empty command with nothing running', async () => {
    const result = await run({ command: '' });
    expect(result).toMatchObject({
      isError: true,
      text: '[An error occurred during execution.]\nNo previous running command to retrieve logs from.',
    });
    expect(result.data.exit_code).toBeNull();
  });

  test('is_input with nothing running', async () => {
    const result = await run({ command: 'hello', is_input: true });
    expect(result.text).toBe('[An error occurred during execution.]\nNo previous running command to interact with.');
  });

  test('several statements on separate lines are refused; each alone runs', async () => {
    const result = await run({ command: 'echo one\necho two' });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      '[An error occurred during execution.]\nCannot execute multiple commands at once.\nPlease run each command separately OR chain them into a single command via && or ;\nProvided commands:\n(1) echo one\n(2) echo two',
    );
    expect(outputOf((await run({ command: 'echo one' })).text)).toBe('one\n[The command completed with exit code 0.]');
    const continued = await run({ command: 'echo a \\\n  b' });
    expect(outputOf(continued.text)).toBe('a b\n[The command completed with exit code 0.]');
  });

  test('a JSON/Python literal as the command is refused before it reaches the shell', async () => {
    const result = await run({ command: '["ls", "-la"]' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('[Tool-argument error] The command argument looks like a Python/JSON list literal');
  });
});

describe('output', () => {
  test('long output keeps head and tail around the clipped notice, metadata included', async () => {
    const result = await run({ command: 'seq 1 20000' });
    expect(result.text.length).toBeLessThanOrEqual(30_000);
    expect(result.text).toContain('<response clipped><NOTE>Due to the max output limit');
    expect(result.text.startsWith('1\n2\n3\n')).toBe(true);
    expect(result.text).toContain('19999\n20000\n[The command completed with exit code 0.]');
    expect(result.text.endsWith('[Command finished with exit code 0]')).toBe(true);
  });

  test('ANSI colours and carriage-return overwrites are resolved', async () => {
    const result = await run({ command: 'printf "\\033[31mred\\033[0m\\n50%%\\r100%%\\n"' });
    expect(outputOf(result.text)).toBe('red\n100%\n[The command completed with exit code 0.]');
  });
});
