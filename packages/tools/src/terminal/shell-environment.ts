import { ConfigError } from '@troupe/core';
import { isValidVariableName } from './secret-export.js';
import { TERMINAL_MARKER } from './process-tree.js';

/**
 * The only variables the shell inherits from the server's environment. Everything else (LLM_API_KEY,
 * SESSION_API_KEY, cloud credentials, proxies that may carry passwords, …) stays in the server: the shell's
 * output reaches the model and the event log. An operator who wants more passes it in the tool's `env` option.
 */
export const INHERITED_VARIABLES: readonly string[] = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR'];
/** Locale categories (`LC_ALL`, `LC_CTYPE`, …) are inherited too. */
const INHERITED_PREFIX = 'LC_';

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
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && (INHERITED_VARIABLES.includes(name) || name.startsWith(INHERITED_PREFIX))) env[name] = value;
  }
  return {
    ...env,
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
