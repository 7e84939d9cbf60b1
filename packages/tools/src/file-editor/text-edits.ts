/** Pure text edits behind str_replace and insert. */

export interface Occurrence {
  readonly index: number;
  /** 1-based line where the match starts. */
  readonly line: number;
}

/** Non-overlapping literal matches of `needle`; an empty needle matches at every position. */
export function findOccurrences(text: string, needle: string): Occurrence[] {
  const found: Occurrence[] = [];
  let line = 1;
  let counted = 0;
  let from = 0;
  while (from <= text.length) {
    const index = text.indexOf(needle, from);
    if (index === -1) break;
    for (; counted < index; counted += 1) if (text.charCodeAt(counted) === 10) line += 1;
    found.push({ index, line });
    from = index + Math.max(needle.length, 1);
  }
  return found;
}

/** The distinct lines on which matches start, ascending. */
export function occurrenceLines(occurrences: readonly Occurrence[]): number[] {
  return [...new Set(occurrences.map((occurrence) => occurrence.line))].sort((a, b) => a - b);
}

/**
 * Inserts `newText` after line `afterLine` (0 = top). Every inserted line ends with a newline; when the text's last
 * line has none, one is added first so the two lines are not glued together.
 */
export function insertAfterLine(text: string, afterLine: number, newText: string): string {
  let cut = 0;
  for (let line = 0; line < afterLine; line += 1) {
    const newline = text.indexOf('\n', cut);
    cut = newline === -1 ? text.length : newline + 1;
  }
  const head = text.slice(0, cut);
  const separator = head !== '' && !head.endsWith('\n') ? '\n' : '';
  const inserted = newText
    .split('\n')
    .map((line) => `${line}\n`)
    .join('');
  return head + separator + inserted + text.slice(cut);
}
