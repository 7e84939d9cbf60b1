import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SecretRegistry,
  createConsoleLogger,
  toObservation,
  observationText,
  type Logger,
  type ToolContext,
  type ToolDefinition,
  type ToolEnvironment,
  type ToolOutput,
} from '@troupe/core';

export interface FakeEnvironment extends ToolEnvironment {
  readonly secretRegistry: SecretRegistry;
  /** Removes the temporary workspace. */
  cleanup(): void;
}

/** A temporary workspace (real path, so it matches `pwd`) with its own secrets. */
export function fakeEnvironment(
  options: { secrets?: Record<string, string>; conversationDir?: string; logger?: Logger } = {},
): FakeEnvironment {
  const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'troupe-tools-')));
  const secretRegistry = new SecretRegistry(options.secrets);
  return {
    conversationId: 'test-conversation',
    workspace,
    ...(options.conversationDir === undefined ? {} : { conversationDir: options.conversationDir }),
    secrets: secretRegistry,
    secretRegistry,
    logger: options.logger ?? createConsoleLogger({ level: 'silent' }),
    cleanup: () => rmSync(workspace, { recursive: true, force: true }),
  };
}

let callCounter = 0;

export function fakeContext(environment: ToolEnvironment, signal: AbortSignal = new AbortController().signal): ToolContext {
  callCounter += 1;
  return {
    conversationId: environment.conversationId,
    workspace: environment.workspace,
    toolCallId: `call-${callCounter}`,
    signal,
    secrets: environment.secrets,
  };
}

/**
 * The text the model sees (with the runtime's error header on failures), and the observation fields. The
 * observation is made as the runtime makes it, so it is checked against the tool's OpenHands observation.
 */
export function observe(tool: ToolDefinition, output: ToolOutput): { text: string; isError: boolean; data: Record<string, unknown> } {
  const observation = toObservation(tool, output);
  const { kind: _kind, content: _content, is_error, ...data } = observation;
  return { text: observationText(observation), isError: is_error, data };
}

/** A terminal (or any tool) driven the way the runtime drives it: arguments validated by the tool's schema. */
export function toolRunner(tool: ToolDefinition, environment: ToolEnvironment) {
  return async (args: Record<string, unknown>, signal?: AbortSignal) =>
    observe(tool, await tool.execute(tool.parameters.parse(args), fakeContext(environment, signal)));
}

const execFileAsync = promisify(execFile);

/** Live (non-zombie) processes of a session, as `ps` sees them: `pid command` lines. */
export async function sessionProcesses(sessionId: number): Promise<string[]> {
  const { stdout } = await execFileAsync('ps', ['-o', 'pid=,stat=,args=', '-s', String(sessionId)]).catch(() => ({ stdout: '' }));
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d+\s+Z/.test(line));
}

/** Polls `condition` until it holds (tests must not depend on timings, only on eventual state). */
export async function eventually(condition: () => Promise<boolean>, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('Condition never held');
}

/**
 * Live processes whose environment carries `TROUPE_TERMINAL_ID=<terminalId>`, read straight from /proc (not through
 * the code under test): `pid command` lines.
 */
export async function markedProcesses(terminalId: string): Promise<Array<{ pid: number; command: string }>> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [environ, stat, cmdline] = await Promise.all(
      ['environ', 'stat', 'cmdline'].map((file) => readFile(`/proc/${entry}/${file}`, 'utf8').catch(() => '')),
    );
    if (!environ!.split('\0').includes(`TROUPE_TERMINAL_ID=${terminalId}`)) continue;
    if (/\) Z /.test(stat!) || stat === '') continue;
    found.push({ pid: Number(entry), command: cmdline!.split('\0').join(' ').trim() });
  }
  return found;
}

/** Whether a process is alive (not gone, not a zombie). */
export async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && !/\) Z /.test(stat);
}

/** A logger that keeps what it is given, for assertions. */
export function recordingLogger(): Logger & { readonly lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  };
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}
