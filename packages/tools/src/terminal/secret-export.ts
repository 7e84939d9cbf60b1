import { isValidVariableName } from '@troupe/core';

export { isValidVariableName };

/** Bash ANSI-C quoting (`$'...'`), which can carry any value, newlines and quotes included. */
export function ansiCQuote(value: string): string {
  let quoted = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\\') quoted += '\\\\';
    else if (char === "'") quoted += "\\'";
    else if (char === '\n') quoted += '\\n';
    else if (char === '\t') quoted += '\\t';
    else if (char === '\r') quoted += '\\r';
    else if (code < 0x20 || code === 0x7f) quoted += `\\x${code.toString(16).padStart(2, '0')}`;
    else quoted += char;
  }
  return `$'${quoted}'`;
}

/** One command exporting every secret whose name is a valid variable name; `undefined` when there is none. */
export function secretExportCommand(secrets: Readonly<Record<string, string>>): string | undefined {
  const exports = Object.entries(secrets)
    .filter(([name]) => isValidVariableName(name))
    .map(([name, value]) => `export ${name}=${ansiCQuote(value)}`);
  return exports.length === 0 ? undefined : exports.join(' && ');
}
