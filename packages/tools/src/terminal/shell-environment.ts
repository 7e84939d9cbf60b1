import { ConfigError, inheritedEnvironment, isValidVariableName } from '@troupe/core';
import { TERMINAL_MARKER } from './process-tree.js';

/** The shell inherits only core's allow-list; an operator who wants more passes it in the tool's `env` option. */
export { INHERITED_VARIABLES } from '@troupe/core';

export interface ShellEnvironmentOptions {
  /** The bash the terminal runs; it becomes `SHELL`. */
  readonly shell: string;
  /** The tool's configured variables; they override the defaults. */
  readonly extra: Readonly<Record<string, string>>;
}

/**
 * The shell's environment: the allow-listed part of `parent`, then fixed settings (the PTY is an xterm, pagers
 * off, no history file), then the configured variables. The terminal adds its process marker when it spawns.
 */
export function shellEnvironment(
  parent: Readonly<Record<string, string | undefined>>,
  options: ShellEnvironmentOptions,
): Record<string, string> {
  return {
    ...inheritedEnvironment(parent),
    SHELL: options.shell,
    // The shell's terminal is the PTY, not whatever terminal the server runs in.
    TERM: 'xterm-256color',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    HISTFILE: '',
    AI_AGENT: 'troupe',
    ...options.extra,
  };
}

/** Refuses a configured variable that bash cannot hold, or that would hide the shell's processes from the terminal. */
export function validateConfiguredVariables(extra: Readonly<Record<string, string>>): void {
  for (const name of Object.keys(extra)) {
    if (!isValidVariableName(name)) {
      throw new ConfigError(
        `Invalid terminal environment variable name: ${name}. Use letters, digits and underscores, not starting with a digit (^[A-Za-z_][A-Za-z0-9_]*$).`,
      );
    }
    if (name === TERMINAL_MARKER) {
      throw new ConfigError(`The terminal environment variable ${name} is reserved: the terminal uses it to find its processes. Remove it from the tool's env option.`);
    }
  }
}
