/**
 * The only variables a process Troupe starts for the agent (the terminal's shell, a hook) inherits
 * from the server's environment. Everything else (LLM_API_KEY, SESSION_API_KEY, cloud credentials,
 * proxies that may carry passwords, …) stays in the server: what those processes print reaches the
 * model and the event log.
 */
export const INHERITED_VARIABLES: readonly string[] = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR'];
/** Locale categories (`LC_ALL`, `LC_CTYPE`, …) are inherited too. */
const INHERITED_PREFIX = 'LC_';

/** The allow-listed part of `parent`. */
export function inheritedEnvironment(parent: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && (INHERITED_VARIABLES.includes(name) || name.startsWith(INHERITED_PREFIX))) env[name] = value;
  }
  return env;
}

const VARIABLE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A name a shell can hold as a variable. */
export function isValidVariableName(name: string): boolean {
  return VARIABLE_NAME.test(name);
}
