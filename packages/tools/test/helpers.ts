import { execFile } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
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

/** The text the model sees (with the runtime's error header on failures), and the observation fields. */
export function observe(output: ToolOutput): { text: string; isError: boolean; data: Record<string, unknown> } {
  const observation = toObservation(output);
  const { content: _content, is_error, ...data } = observation;
  return { text: observationText(observation), isError: is_error, data };
}

/** A terminal (or any tool) driven the way the runtime drives it: arguments validated by the tool's schema. */
export function toolRunner(tool: ToolDefinition, environment: ToolEnvironment) {
  return async (args: Record<string, unknown>, signal?: AbortSignal) =>
    observe(await tool.execute(tool.parameters.parse(args), fakeContext(environment, signal)));
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
