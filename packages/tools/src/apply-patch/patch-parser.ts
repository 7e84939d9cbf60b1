import { PatchError } from './patch-error.js';

/**
 * The V4A patch format OpenAI's models write:
 *
 *   *** Begin Patch
 *   *** Add File: path         then the file's lines, each after a `+`
 *   *** Delete File: path
 *   *** Update File: path
 *   *** Move to: new/path      (optional, right after Update File)
 *   @@ anchor line             (optional: a line to find first, e.g. `class Foo`)
 *    context line / -removed line / +added line
 *   *** End of File            (optional: the hunk ends at the end of the file)
 *   *** End Patch
 */
export const BEGIN_PATCH = '*** Begin Patch';
export const END_PATCH = '*** End Patch';
const ADD_FILE = '*** Add File: ';
const DELETE_FILE = '*** Delete File: ';
const UPDATE_FILE = '*** Update File: ';
const MOVE_TO = '*** Move to: ';
const END_OF_FILE = '*** End of File';
const FILE_HEADERS = [ADD_FILE, DELETE_FILE, UPDATE_FILE];

export interface HunkLine {
  readonly kind: 'context' | 'remove' | 'add';
  readonly text: string;
}

/** One `@@` section of an update. */
export interface Hunk {
  /** Text after `@@`: a line of the file the hunk's context is searched after. */
  readonly anchor: string | undefined;
  readonly lines: readonly HunkLine[];
  /** The hunk must end at the end of the file (`*** End of File`). */
  readonly endOfFile: boolean;
  /** 1-based line of the patch where the hunk starts, for error messages. */
  readonly patchLine: number;
}

export type PatchOperation =
  | { readonly kind: 'add'; readonly path: string; readonly lines: readonly string[] }
  | { readonly kind: 'delete'; readonly path: string }
  | { readonly kind: 'update'; readonly path: string; readonly moveTo: string | undefined; readonly hunks: readonly Hunk[] };

/** A unified-diff range (`@@ -12,7 +12,8 @@`) says nothing V4A can use; such a header anchors nothing. */
const UNIFIED_RANGE = /^-\d+(,\d+)? \+\d+(,\d+)? @@/;

/** Parses patch text into operations, in patch order; a malformed patch throws `PatchError`. */
export function parsePatch(patchText: string): PatchOperation[] {
  const lines = patchText.replace(/\r\n/g, '\n').trim().split('\n');
  if (!lines[0]?.trimEnd().startsWith(BEGIN_PATCH)) {
    throw new PatchError(`Invalid patch: the first line must be '${BEGIN_PATCH}'.`);
  }
  const end = lines.findIndex((line) => line.trimEnd() === END_PATCH);
  if (end === -1) throw new PatchError(`Invalid patch: the last line must be '${END_PATCH}'.`);
  if (end !== lines.length - 1) {
    throw new PatchError(`Invalid patch: line ${end + 2} comes after '${END_PATCH}', which must be the last line.`);
  }
  const operations = new Parser(lines.slice(0, end)).operations();
  if (operations.length === 0) throw new PatchError('Invalid patch: it changes no file.');
  return operations;
}

class Parser {
  readonly #lines: readonly string[];
  #index = 1;

  constructor(lines: readonly string[]) {
    this.#lines = lines;
  }

  operations(): PatchOperation[] {
    const operations: PatchOperation[] = [];
    const seen = new Set<string>();
    while (this.#index < this.#lines.length) {
      const line = this.#lines[this.#index]!;
      const header = FILE_HEADERS.find((prefix) => line.startsWith(prefix));
      if (header === undefined) {
        throw new PatchError(
          `Invalid patch line ${this.#index + 1}: '${line}'. Expected '${ADD_FILE.trim()}', '${DELETE_FILE.trim()}', '${UPDATE_FILE.trim()}' or '${END_PATCH}'.`,
        );
      }
      const path = line.slice(header.length).trim();
      if (path === '') throw new PatchError(`Invalid patch line ${this.#index + 1}: '${line}' names no file.`);
      if (seen.has(path)) throw new PatchError(`Duplicate path in the patch: ${path} (each file may appear only once).`);
      seen.add(path);
      this.#index += 1;
      if (header === ADD_FILE) operations.push({ kind: 'add', path, lines: this.#addedLines(path) });
      else if (header === DELETE_FILE) operations.push({ kind: 'delete', path });
      else operations.push(this.#update(path));
    }
    return operations;
  }

  #atFileHeader(): boolean {
    const line = this.#lines[this.#index];
    return line === undefined || FILE_HEADERS.some((prefix) => line.startsWith(prefix));
  }

  #addedLines(path: string): string[] {
    const added: string[] = [];
    while (!this.#atFileHeader()) {
      const line = this.#lines[this.#index]!;
      if (line !== '' && !line.startsWith('+')) {
        throw new PatchError(`Invalid line ${this.#index + 1} in the new file ${path}: '${line}'. Every line of an added file starts with '+'.`);
      }
      added.push(line.slice(1));
      this.#index += 1;
    }
    return added;
  }

  #update(path: string): PatchOperation {
    let moveTo: string | undefined;
    const moveLine = this.#lines[this.#index];
    if (moveLine?.startsWith(MOVE_TO)) {
      moveTo = moveLine.slice(MOVE_TO.length).trim();
      if (moveTo === '') throw new PatchError(`Invalid patch line ${this.#index + 1}: '${moveLine}' names no file.`);
      this.#index += 1;
    }
    const hunks: Hunk[] = [];
    while (!this.#atFileHeader()) hunks.push(this.#hunk(path, hunks.length === 0));
    if (hunks.length === 0 && moveTo === undefined) {
      throw new PatchError(`The update of ${path} has no changes: give at least one hunk, or a '${MOVE_TO.trim()}' line.`);
    }
    return { kind: 'update', path, moveTo, hunks };
  }

  #hunk(path: string, first: boolean): Hunk {
    const patchLine = this.#index + 1;
    let anchor: string | undefined;
    const header = this.#lines[this.#index]!;
    if (header.startsWith('@@')) {
      const text = header.slice(2).trim();
      anchor = text === '' || UNIFIED_RANGE.test(text) ? undefined : text;
      this.#index += 1;
    } else if (!first) {
      throw new PatchError(`Invalid line ${patchLine} in the update of ${path}: '${header}'. A new hunk starts with '@@'.`);
    }

    const lines: HunkLine[] = [];
    let endOfFile = false;
    while (!this.#atFileHeader()) {
      const line = this.#lines[this.#index]!;
      if (line.startsWith('@@')) break;
      this.#index += 1;
      if (line.trimEnd() === END_OF_FILE) {
        endOfFile = true;
        break;
      }
      lines.push(hunkLine(line, this.#index, path));
    }
    if (lines.length === 0) throw new PatchError(`Empty hunk at line ${patchLine} of the patch, in the update of ${path}.`);
    return { anchor, lines, endOfFile, patchLine };
  }
}

function hunkLine(line: string, lineNumber: number, path: string): HunkLine {
  // An empty line is an empty context line whose leading space was lost.
  if (line === '' || line.startsWith(' ')) return { kind: 'context', text: line.slice(1) };
  if (line.startsWith('-')) return { kind: 'remove', text: line.slice(1) };
  if (line.startsWith('+')) return { kind: 'add', text: line.slice(1) };
  throw new PatchError(
    `Invalid line ${lineNumber} in the update of ${path}: '${line}'. Each line of a hunk starts with ' ' (context), '-' (removed) or '+' (added).`,
  );
}
