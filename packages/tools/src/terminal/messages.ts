import type { KillReport } from './terminal-processes.js';

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

/** How many stopped processes an observation lists, and how much of each command line. */
const LISTED_PROCESSES = 10;
const LISTED_COMMAND_CHARS = 60;

/** What an interrupt killed, for the model; empty when it killed nothing. */
export function interruptReportNotice(report: KillReport): string {
  const describe = (processes: ReadonlyArray<{ pid: number; command: string; signal?: string }>) => {
    const listed = processes.slice(0, LISTED_PROCESSES).map(({ pid, command, signal }) => {
      const shown = command.length > LISTED_COMMAND_CHARS ? `${command.slice(0, LISTED_COMMAND_CHARS)}…` : command;
      return signal === undefined ? `${pid} \`${shown}\`` : `${pid} \`${shown}\` (${signal})`;
    });
    const more = processes.length - listed.length;
    return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
  };
  let notice = '';
  if (report.stopped.length > 0) notice += `\n[The interrupt stopped the terminal's processes: ${describe(report.stopped)}.]`;
  if (report.survivors.length > 0) notice += `\n[These processes could not be killed: ${describe(report.survivors)}.]`;
  if (!report.tracked) notice += '\n[The terminal cannot track its processes here (no /proc): only CTRL+C was sent.]';
  return notice;
}

export const SHELL_RESTARTED_AFTER_INTERRUPT =
  '\n[The shell did not return to its prompt after the interrupt, so it was restarted: the next command runs in a new shell, with the environment and working directory reset.]';

export const COMMAND_NOT_RUN_INTERRUPTED = 'The command was not run: the call was interrupted before it started.';

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
