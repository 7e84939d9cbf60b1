import { findAnchor, longestMatchingPrefix, occursBefore, matchAt, seekSequence } from './context-match.js';
import { PatchError } from './patch-error.js';
import type { Hunk } from './patch-parser.js';

/** The fuzz counted when an `*** End of File` hunk matched somewhere other than the end. */
const END_OF_FILE_MISSED_FUZZ = 10_000;
const MAX_LISTED_PLACES = 5;

export interface UpdatedText {
  readonly text: string;
  /** 0 when every context line matched exactly; see `MATCH_LEVELS`. */
  readonly fuzz: number;
}

/**
 * Applies an update's hunks, in order, to a file's text (`\n` line endings). Each hunk is searched
 * after the previous one; its context lines keep the file's own text (only `-` and `+` lines change
 * anything), and the file keeps or lacks its final newline as before.
 */
export function applyHunks(original: string, hunks: readonly Hunk[], path: string): UpdatedText {
  const endsWithNewline = original === '' || original.endsWith('\n');
  const lines = original === '' ? [] : (endsWithNewline ? original.slice(0, -1) : original).split('\n');
  let cursor = 0;
  let fuzz = 0;
  // Lines added minus lines removed by the hunks applied so far: messages give the original file's line numbers.
  let shift = 0;
  for (const hunk of hunks) {
    if (hunk.anchor !== undefined) {
      const anchor = findAnchor(lines, hunk.anchor, cursor);
      if (anchor === undefined) {
        throw new PatchError(
          `Invalid Context in ${path}: the line '@@ ${hunk.anchor}' (patch line ${hunk.patchLine}) names a line that is not in the file${after(cursor - shift)}.`,
        );
      }
      cursor = anchor.index + 1;
      fuzz += anchor.fuzz;
    }
    const expected = hunk.lines.filter((line) => line.kind !== 'add').map((line) => line.text);
    const place = locate(lines, expected, cursor, hunk, path, shift);
    const replacement: string[] = [];
    let fileIndex = place.index;
    for (const line of hunk.lines) {
      if (line.kind === 'context') replacement.push(lines[fileIndex]!);
      if (line.kind !== 'add') fileIndex += 1;
      if (line.kind === 'add') replacement.push(line.text);
    }
    lines.splice(place.index, expected.length, ...replacement);
    cursor = place.index + replacement.length;
    shift += replacement.length - expected.length;
    fuzz += place.fuzz;
  }
  return { text: lines.length === 0 ? '' : lines.join('\n') + (endsWithNewline ? '\n' : ''), fuzz };
}

function locate(
  lines: readonly string[],
  expected: readonly string[],
  cursor: number,
  hunk: Hunk,
  path: string,
  shift: number,
): { index: number; fuzz: number } {
  if (expected.length === 0) return { index: hunk.endOfFile ? lines.length : cursor, fuzz: 0 };
  if (hunk.endOfFile) {
    const atEnd = lines.length - expected.length;
    const match = atEnd >= cursor ? matchAt(lines, expected, atEnd) : undefined;
    if (match) return { index: atEnd, fuzz: match.fuzz };
  }
  const found = seekSequence(lines, expected, cursor);
  if (found.kind === 'found') return { index: found.index, fuzz: found.fuzz + (hunk.endOfFile ? END_OF_FILE_MISSED_FUZZ : 0) };
  if (found.kind === 'ambiguous') {
    const places = found.indices.slice(0, MAX_LISTED_PLACES).map((index) => index - shift + 1).join(', ');
    const more = found.indices.length > MAX_LISTED_PLACES ? ', ...' : '';
    throw new PatchError(
      `Ambiguous context in ${path}: the hunk at patch line ${hunk.patchLine} matches ${found.indices.length} places (lines ${places}${more})${after(cursor - shift)}. Add context lines that occur only at the place meant, or an '@@' line naming the class or function it is in.`,
    );
  }
  throw new PatchError(`Invalid Context in ${path}: the hunk at patch line ${hunk.patchLine} does not match the file${after(cursor - shift)}. ${mismatch(lines, expected, cursor, shift)}`);
}

/** Says which context line failed, so that the model can fix just that. */
function mismatch(lines: readonly string[], expected: readonly string[], cursor: number, shift: number): string {
  const listing = `The hunk's context and removed lines were:\n${expected.join('\n')}`;
  if (occursBefore(lines, expected, cursor)) {
    return `These lines occur earlier in the file, before the previous hunk: hunks must follow the order of the file.\n${listing}`;
  }
  const prefix = longestMatchingPrefix(lines, expected, cursor);
  if (prefix.length === 0) return `No line there matches its first line, '${expected[0]}'.\n${listing}`;
  const fileLine = lines[prefix.index + prefix.length];
  const found = fileLine === undefined ? 'the end of the file' : `line ${prefix.index + prefix.length - shift + 1}: '${fileLine}'`;
  return `Its first ${prefix.length} line(s) match at line ${prefix.index - shift + 1}, but its line '${expected[prefix.length]}' does not match ${found}.\n${listing}`;
}

function after(cursor: number): string {
  return cursor > 0 ? ` after line ${cursor}` : '';
}
