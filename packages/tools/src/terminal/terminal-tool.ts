import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { z } from 'zod';
import { defineTool, type ToolContext, type ToolDefinition, type ToolEnvironment, type ToolProvider, type ToolWire } from '@troupe/core';
import { Mutex } from '../mutex.js';
import { errorOutput } from '../error-output.js';
import { literalArgumentError } from './literal-guard.js';
import { RESET_TEXT, RESET_WITH_INPUT_ERROR } from './messages.js';
import { isValidVariableName, secretExportCommand } from './secret-export.js';
import { TERMINAL_MARKER } from './process-tree.js';
import { shellEnvironment, validateConfiguredVariables } from './shell-environment.js';
import { renderTerminalResult } from './terminal-observation.js';
import { TerminalSession, type TerminalResult } from './terminal-session.js';

export const DEFAULT_NO_CHANGE_TIMEOUT_SECONDS = 30;
/** A day: longer is surely a mistake (and past about 24.8 days a timer fires at once). */
const MAX_NO_CHANGE_TIMEOUT_SECONDS = 86_400;

export const TerminalParamsSchema = z.object({
  command: z
    .string()
    .describe(
      'The bash command to execute. Can be empty string to view additional logs when previous exit code is `-1`. Can be `C-c` (Ctrl+C) to interrupt the currently running process. Note: You can only execute one bash command at a time. If you need to run multiple commands sequentially, you can use `&&` or `;` to chain them together.',
    ),
  is_input: z
    .boolean()
    .default(false)
    .describe(
      'If True, the command is an input to the running process. If False, the command is a bash command to be executed in the terminal. Default is False.',
    ),
  timeout: z
    .number()
    .min(0)
    .optional()
    .describe(
      `Optional. Sets a maximum time limit (in seconds) for running the command. If the command takes longer than this limit, you'll be asked whether to continue or stop it. If you don't set a value, the command will instead pause and ask for confirmation when it produces no new output for ${DEFAULT_NO_CHANGE_TIMEOUT_SECONDS} seconds. Use a higher value if the command is expected to take a long time (like installation or testing), or if it has a known fixed duration (like sleep).`,
    ),
  reset: z
    .boolean()
    .default(false)
    .describe(
      'If True, reset the terminal by creating a new session. Use this only when the terminal becomes unresponsive. Note that all previously set environment variables and session state will be lost after reset. Cannot be used with is_input=True.',
    ),
});
export type TerminalParams = z.output<typeof TerminalParamsSchema>;

/** Configuration the model never sees, passed as the provider's `params`. */
export const TerminalOptionsSchema = z.object({
  /** Seconds without new output before a call returns with the command still running. */
  noChangeTimeoutSeconds: z.number().positive().max(MAX_NO_CHANGE_TIMEOUT_SECONDS).default(DEFAULT_NO_CHANGE_TIMEOUT_SECONDS),
  /**
   * Extra environment variables for the shell; they survive resets. The shell inherits only an allow-list of the
   * server's variables (see `shellEnvironment`), so anything else it needs is passed here.
   */
  env: z.record(z.string(), z.string()).default({}),
  /** Path of the bash binary; by default the first `bash` on PATH. */
  shell: z.string().min(1).optional(),
}).strict();
export type TerminalOptions = z.input<typeof TerminalOptionsSchema>;

function description(noChangeTimeoutSeconds: number): string {
  return `Execute a bash command in the terminal within a persistent shell session.

### Command Execution
* One command at a time: You can only execute one bash command at a time. If you need to run multiple commands sequentially, use \`&&\` or \`;\` to chain them together.
* Persistent session: Commands execute in a persistent shell session where environment variables, virtual environments, and working directory persist between commands.
* Soft timeout: Commands have a soft timeout of ${noChangeTimeoutSeconds} seconds without new output; once that's reached, you have the option to continue or interrupt the command (see section below for details).
* Shell options: Do NOT use \`set -e\`, \`set -eu\`, or \`set -euo pipefail\` in shell scripts or commands in this environment. The runtime may not support them and can cause unusable shell sessions. If you want to run multi-line bash commands, write the commands to a file and then run it, instead.

### Long-running Commands
* For commands that may run indefinitely, run them in the background and redirect output to a file, e.g. \`python3 app.py > server.log 2>&1 &\`.
* For commands that may run for a long time (e.g. installation or testing commands), or commands that run for a fixed amount of time (e.g. sleep), you should set the "timeout" parameter of your function call to an appropriate value.
* If a bash command returns exit code \`-1\`, this means the process hit the soft timeout and is not yet finished. By setting \`is_input\` to \`true\`, you can:
  - Send empty \`command\` to retrieve additional logs
  - Send text (set \`command\` to the text) to STDIN of the running process
  - Send control commands like \`C-c\` (Ctrl+C), \`C-d\` (Ctrl+D), or \`C-z\` (Ctrl+Z) to interrupt the process
  - If you do C-c, you can re-start the process with a longer "timeout" parameter to let it run to completion

### Best Practices
* Directory verification: Before creating new directories or files, first verify the parent directory exists and is the correct location.
* Directory management: Try to maintain working directory by using absolute paths and avoiding excessive use of \`cd\`.

### Output Handling
* Output truncation: If the output exceeds a maximum length, it will be truncated before being returned.

### Terminal Reset
* Terminal reset: If the terminal becomes unresponsive, you can set the "reset" parameter to \`true\` to create a new terminal session. This will terminate the current session and start fresh.
* Warning: Resetting the terminal will lose all previously set environment variables, working directory changes, and any running processes. Use this only when the terminal stops responding to commands.`;
}

/** The provider's params as checked before the tool is made (a server checks a request's with it): the options, with usable variable names. */
const TerminalProviderParamsSchema = TerminalOptionsSchema.superRefine((options, context) => {
  for (const name of Object.keys(options.env)) {
    if (!isValidVariableName(name)) context.addIssue({ code: 'custom', path: ['env', name], message: 'must be an environment variable name: letters, digits and "_", not starting with a digit' });
    else if (name === TERMINAL_MARKER) context.addIssue({ code: 'custom', path: ['env', name], message: 'is reserved: the terminal marks its processes with it' });
  }
});

/** The terminal's OpenHands identity. */
const TERMINAL_WIRE: ToolWire = {
  toolKind: 'TerminalTool',
  actionKind: 'TerminalAction',
  observationKind: 'TerminalObservation',
  annotations: { title: 'terminal', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
};

/** The `terminal` tool: one persistent bash per conversation. */
export const terminalTool: ToolProvider = {
  name: 'terminal',
  inline: true,
  paramsSchema: TerminalProviderParamsSchema,
  create: (environment, params) => createTerminalTool(environment, TerminalOptionsSchema.parse(params)),
};

export function createTerminalTool(
  environment: ToolEnvironment,
  options: z.output<typeof TerminalOptionsSchema>,
): ToolDefinition<typeof TerminalParamsSchema> {
  if (!isDirectory(environment.workspace)) {
    throw new Error(`working_dir '${environment.workspace}' is not a valid directory`);
  }
  validateConfiguredVariables(options.env);
  const shell = resolveShell(options.shell);
  const sessionOptions = {
    workspace: environment.workspace,
    shell,
    env: shellEnvironment(process.env, { shell, extra: options.env }),
    noChangeTimeoutSeconds: options.noChangeTimeoutSeconds,
  };
  let session = new TerminalSession(sessionOptions);
  // The runtime may run tool calls concurrently; one shell takes one call at a time.
  const mutex = new Mutex();

  const run = async (args: TerminalParams, context: ToolContext): Promise<TerminalResult> => {
    const referenced = args.is_input || args.command.trim() === '' ? {} : context.secrets.referencedBy(args.command);
    return session.execute({
      command: args.command,
      isInput: args.is_input,
      ...(args.timeout === undefined ? {} : { timeoutSeconds: args.timeout }),
      ...optional('preamble', secretExportCommand(referenced)),
      signal: context.signal,
    });
  };

  const reset = async (args: TerminalParams, context: ToolContext): Promise<TerminalResult> => {
    await session.close();
    session = new TerminalSession(sessionOptions);
    const command = args.command.trim();
    if (command === '') {
      return { command: '[RESET]', output: RESET_TEXT, prefix: '', suffix: '', exitCode: 0, timedOut: false, isError: false };
    }
    const result = await run(args, context);
    return { ...result, command: `[RESET] ${command}`, output: `${RESET_TEXT}\n\n${result.output}` };
  };

  return defineTool({
    name: 'terminal',
    description: description(options.noChangeTimeoutSeconds),
    parameters: TerminalParamsSchema,
    wire: TERMINAL_WIRE,
    async execute(args, context) {
      if (args.reset && args.is_input) throw new Error(RESET_WITH_INPUT_ERROR);
      const literalError = args.is_input ? undefined : literalArgumentError(args.command);
      if (literalError !== undefined) return errorOutput(literalError, { command: args.command, exit_code: null });
      const result = await mutex.run(() => (args.reset ? reset(args, context) : run(args, context)));
      return renderTerminalResult(result, (text) => context.secrets.mask(text));
    },
    async interrupt() {
      const report = await session.interrupt();
      if (report.stopped.length > 0 || report.survivors.length > 0) {
        const masked = <T extends { command: string }>(processes: readonly T[]) =>
          processes.map((entry) => ({ ...entry, command: environment.secrets.mask(entry.command) }));
        environment.logger.info('The terminal interrupt stopped the processes its shell started.', {
          stopped: masked(report.stopped),
          survivors: masked(report.survivors),
        });
      }
    },
    close() {
      return session.close();
    },
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function resolveShell(shell: string | undefined): string {
  if (shell !== undefined) {
    if (!isExecutable(shell)) throw new Error(`Shell binary is not executable: ${shell}`);
    return shell;
  }
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(directory, 'bash');
    if (directory !== '' && isExecutable(candidate)) return candidate;
  }
  throw new Error('Could not find bash in PATH');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
