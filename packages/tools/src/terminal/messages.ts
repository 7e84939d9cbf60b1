/** Texts the terminal shows the model; fixed so that prompts and tests can rely on them. */

export const TIMEOUT_MESSAGE =
  'You may wait longer to see additional output by sending empty command \'\', send other commands to interact with the current process, send keys ("C-c", "C-z", "C-d") to interrupt/kill the previous command before sending your new command, or use the timeout parameter in terminal for future commands.';

export const CONTINUATION_PREFIX = '[Below is the output of the previous command.]\n';

export const NO_RUNNING_COMMAND_FOR_LOGS = 'No previous running command to retrieve logs from.';
export const NO_RUNNING_COMMAND_FOR_INPUT = 'No previous running command to interact with.';

export const RESET_TEXT =
  'Terminal session has been reset. All previous environment variables and session state have been cleared.';

export const RESET_WITH_INPUT_ERROR = 'Cannot use reset=True with is_input=True';

export function completedSuffix(exitCode: number, ctrlLetter?: string): string {
  return ctrlLetter === undefined
    ? `\n[The command completed with exit code ${exitCode}.]`
    : `\n[The command completed with exit code ${exitCode}. CTRL+${ctrlLetter} was sent.]`;
}

export function noChangeTimeoutSuffix(seconds: number): string {
  return `\n[The command has no new output after ${seconds} seconds. ${TIMEOUT_MESSAGE}]`;
}

export function hardTimeoutSuffix(seconds: number): string {
  return `\n[The command timed out after ${seconds} seconds. ${TIMEOUT_MESSAGE}]`;
}

export const INTERRUPTED_SUFFIX =
  '\n[The command was interrupted: CTRL+C was sent. Send an empty command \'\' to see whether it has stopped.]';

export function shellExitedSuffix(exitCode: number): string {
  return `\n[The shell exited with code ${exitCode}. The next command starts a new shell.]`;
}

export function notExecutedSuffix(command: string): string {
  return `\n[Your command "${command}" is NOT executed. The previous command is still running - You CANNOT send new commands until the previous command is completed. By setting is_input to true, you can interact with the current process: ${TIMEOUT_MESSAGE}]`;
}

export function multipleCommandsError(statements: readonly string[]): string {
  const listed = statements.map((statement, index) => `(${index + 1}) ${statement}`).join('\n');
  return `Cannot execute multiple commands at once.\nPlease run each command separately OR chain them into a single command via && or ;\nProvided commands:\n${listed}`;
}
