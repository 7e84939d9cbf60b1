/** Turns raw PTY bytes into the plain text a screen would show: no escape sequences, no carriage returns. */

// OSC (titles, hyperlinks, colour queries): ESC ] ... BEL or ESC \
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;
// CSI (colours, cursor moves, modes): ESC [ params intermediates final
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;
// Other escapes: charset selection (ESC ( B) and two-byte sequences (ESC =, ESC M, ...)
const OTHER_ESCAPE = /\x1b(?:[()*+][0-9A-Za-z]|[@-Z\\^_=>78]|$)/g;
// Control characters that do not lay out text (\t, \n and \r are kept)
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

export function normalizeTerminalText(raw: string): string {
  const plain = raw.replace(OSC, '').replace(CSI, '').replace(OTHER_ESCAPE, '').replace(CONTROL, '');
  return plain.replace(/\r+\n/g, '\n').split('\n').map(resolveCarriageReturns).join('\n');
}

/** A bare `\r` moves to the start of the line, so later text overwrites earlier text (progress bars). */
function resolveCarriageReturns(line: string): string {
  if (!line.includes('\r')) return line;
  let shown = '';
  for (const segment of line.split('\r')) shown = segment + shown.slice(segment.length);
  return shown;
}

/** Removes the command from the front of its output, in case the terminal echoed it. */
export function removeCommandEcho(output: string, command: string): string {
  if (command === '') return output;
  if (output === command) return '';
  return output.startsWith(`${command}\n`) ? output.slice(command.length + 1) : output;
}
