import { truncateMiddle } from '../truncate.js';

/** The most characters of file content or a directory listing shown at once. */
export const MAX_RESPONSE_LEN_CHAR = 16_000;

export const TEXT_FILE_CONTENT_TRUNCATED_NOTICE =
  '<response clipped><NOTE>Due to the max output limit, only part of this file has been shown to you. You should retry this tool after you have searched inside the file with `grep -n` in order to find the line numbers of what you are looking for.</NOTE>';

/** The lines of a text; a final newline ends the last line rather than starting an empty one. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * `cat -n` output: each line as a 6-wide right-aligned number, a TAB and the line, under a header naming what is
 * shown. Lines are numbered before truncation, so a clipped view still shows true line numbers.
 */
export function catN(lines: readonly string[], description: string, startLine = 1): string {
  const numbered = lines.map((line, index) => `${String(index + startLine).padStart(6)}\t${line}`).join('\n');
  const shown = truncateMiddle(numbered, MAX_RESPONSE_LEN_CHAR, TEXT_FILE_CONTENT_TRUNCATED_NOTICE);
  return `Here's the result of running \`cat -n\` on ${description}:\n${shown}\n`;
}

/** How many lines around an edit its snippet shows. */
export const SNIPPET_CONTEXT_WINDOW = 4;

/** Lines `first..last` (1-based, inclusive, clamped to the text) of `text`, numbered from `first`. */
export function snippet(text: string, first: number, last: number, description: string): string {
  const lines = splitLines(text);
  const start = Math.max(1, first);
  return catN(lines.slice(start - 1, Math.max(start - 1, last)), description, start);
}
