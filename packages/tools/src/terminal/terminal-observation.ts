import type { ToolOutput } from '@troupe/core';
import { truncateMiddle } from '../truncate.js';
import type { TerminalResult } from './terminal-session.js';

/** The most the model sees of one terminal observation. */
export const MAX_TERMINAL_OUTPUT = 30_000;

/**
 * What the model sees: prefix, output, suffix, then the working directory, Python interpreter and exit code when
 * the command completed. Secrets are masked before truncation, so a cut can never expose part of a value. The data
 * are the fields of OpenHands' TerminalObservation (the shell's prompt metadata nested, as its CmdOutputMetadata).
 */
export function renderTerminalResult(result: TerminalResult, mask: (text: string) => string): ToolOutput {
  let text = `${result.prefix}${result.output}${result.suffix}`;
  const metadata = result.metadata;
  if (metadata?.workingDir) text += `\n[Current working directory: ${metadata.workingDir}]`;
  if (metadata?.pyInterpreterPath) text += `\n[Python interpreter: ${metadata.pyInterpreterPath}]`;
  if (metadata && result.exitCode !== null && result.exitCode !== -1) {
    text += `\n[Command finished with exit code ${result.exitCode}]`;
  }
  const body = truncateMiddle(mask(text), MAX_TERMINAL_OUTPUT);
  return {
    content: body,
    isError: result.isError,
    data: {
      command: mask(result.command),
      exit_code: result.exitCode,
      timeout: result.timedOut,
      metadata: {
        exit_code: metadata?.exitCode ?? -1,
        pid: metadata?.pid ?? -1,
        ...(metadata
          ? {
              username: metadata.username,
              hostname: metadata.hostname,
              working_dir: metadata.workingDir,
              ...(metadata.pyInterpreterPath ? { py_interpreter_path: metadata.pyInterpreterPath } : {}),
            }
          : {}),
        prefix: result.prefix,
        suffix: result.suffix,
      },
    },
  };
}
