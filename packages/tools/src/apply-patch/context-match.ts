/**
 * How loosely the patch's lines may match the file's, tried in this order: exactly, then ignoring
 * trailing whitespace, then ignoring whitespace at both ends. `fuzz` adds up how loose the matches
 * were (0: every line exact), as OpenAI's reference implementation counts it.
 */
export const MATCH_LEVELS: readonly { readonly fuzz: number; readonly normalize: (line: string) => string }[] = [
  { fuzz: 0, normalize: (line) => line },
  { fuzz: 1, normalize: (line) => line.trimEnd() },
  { fuzz: 100, normalize: (line) => line.trim() },
];
const LOOSEST = MATCH_LEVELS[MATCH_LEVELS.length - 1]!;

/** Every index at or after `start` where `needle` (non-empty) occurs in `lines`, both normalized. */
export function findAll(lines: readonly string[], needle: readonly string[], start: number, normalize: (line: string) => string): number[] {
  const wanted = needle.map(normalize);
  const found: number[] = [];
  for (let index = Math.max(start, 0); index + wanted.length <= lines.length; index += 1) {
    if (wanted.every((line, offset) => normalize(lines[index + offset]!) === line)) found.push(index);
  }
  return found;
}

export type SequenceMatch =
  | { readonly kind: 'found'; readonly index: number; readonly fuzz: number }
  | { readonly kind: 'ambiguous'; readonly indices: readonly number[] }
  | { readonly kind: 'missing' };

/** Where `needle` occurs at or after `start`, at the strictest level where it occurs at all. */
export function seekSequence(lines: readonly string[], needle: readonly string[], start: number): SequenceMatch {
  for (const level of MATCH_LEVELS) {
    const indices = findAll(lines, needle, start, level.normalize);
    if (indices.length === 1) return { kind: 'found', index: indices[0]!, fuzz: level.fuzz };
    if (indices.length > 1) return { kind: 'ambiguous', indices };
  }
  return { kind: 'missing' };
}

/** Whether `needle` sits exactly at `index`, at some level (the strictest one is returned). */
export function matchAt(lines: readonly string[], needle: readonly string[], index: number): { fuzz: number } | undefined {
  if (index < 0 || index + needle.length > lines.length) return undefined;
  const level = MATCH_LEVELS.find(({ normalize }) => needle.every((line, offset) => normalize(lines[index + offset]!) === normalize(line)));
  return level === undefined ? undefined : { fuzz: level.fuzz };
}

/** The first line at or after `start` equal to `anchor`, exactly or ignoring surrounding whitespace. */
export function findAnchor(lines: readonly string[], anchor: string, start: number): { index: number; fuzz: number } | undefined {
  for (const level of [MATCH_LEVELS[0]!, LOOSEST]) {
    const index = lines.findIndex((line, at) => at >= start && level.normalize(line) === level.normalize(anchor));
    if (index !== -1) return { index, fuzz: level.fuzz === 0 ? 0 : 1 };
  }
  return undefined;
}

/**
 * For a `needle` found nowhere: how many of its first lines do occur together (loosely) at or after
 * `start`, and where. Found by halving, since a prefix that occurs makes every shorter one occur.
 */
export function longestMatchingPrefix(lines: readonly string[], needle: readonly string[], start: number): { length: number; index: number } {
  let best = { length: 0, index: -1 };
  let low = 1;
  let high = needle.length - 1;
  while (low <= high) {
    const length = Math.floor((low + high) / 2);
    const [index] = findAll(lines, needle.slice(0, length), start, LOOSEST.normalize);
    if (index === undefined) high = length - 1;
    else {
      best = { length, index };
      low = length + 1;
    }
  }
  return best;
}

/** Whether `needle` occurs loosely before `start` (a hunk out of file order). */
export function occursBefore(lines: readonly string[], needle: readonly string[], start: number): boolean {
  return findAll(lines.slice(0, start + needle.length - 1), needle, 0, LOOSEST.normalize).length > 0;
}
