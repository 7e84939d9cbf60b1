import { readFile, stat, unlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { errorMessage, FILE_EDITOR_COMMANDS, textContent, type Content, type ImageContent } from '@troupe/core';
import { EditHistory } from './edit-history.js';
import { EditorError, formatList, invalidParameter, missingParameter } from './editor-error.js';
import { SNIPPET_CONTEXT_WINDOW, catN, snippet, splitLines } from './cat-n.js';
import { findOccurrences, insertAfterLine, occurrenceLines } from './text-edits.js';
import { listDirectory, renderDirectoryListing } from './directory-view.js';
import { imageMimeType, readTextFile, validateFile, writeTextFile } from './text-file.js';

export type EditorCommand = (typeof FILE_EDITOR_COMMANDS)[number];

export interface EditorRequest {
  readonly command: EditorCommand;
  readonly path: string;
  readonly file_text?: string | undefined;
  readonly old_str?: string | undefined;
  readonly new_str?: string | undefined;
  readonly insert_line?: number | undefined;
  readonly view_range?: readonly number[] | undefined;
}

export interface EditorResult {
  readonly content: string | Content[];
  /** Observation fields: command, path, prev_exist, old_content, new_content. */
  readonly data: Record<string, unknown>;
}

/** An absolute path as the editor works on it: normalized, without a trailing `/`. */
export function normalizeAbsolutePath(rawPath: string): string {
  const path = normalize(rawPath);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/**
 * The file editor of one conversation: view, create, str_replace, insert and undo_edit on absolute paths.
 * Expected failures throw `EditorError`, whose message is meant for the model.
 */
export class FileEditor {
  readonly #workspace: string;
  readonly #history = new EditHistory(10);

  constructor(workspace: string) {
    this.#workspace = workspace;
  }

  async run(request: EditorRequest): Promise<EditorResult> {
    const path = this.#validatePath(request.path);
    const info = await stat(path).catch(() => undefined);
    if (request.command === 'create' && info) {
      throw invalidParameter('path', path, `File already exists at: ${path}. Cannot overwrite files using command \`create\`.`);
    }
    if (request.command !== 'create' && !info) {
      throw invalidParameter('path', path, `The path ${path} does not exist. Please provide a valid path.`);
    }
    if (request.command !== 'view' && info?.isDirectory()) {
      throw invalidParameter(
        'path',
        path,
        `The path ${path} is a directory and only the \`view\` command can be used on directories.`,
      );
    }

    switch (request.command) {
      case 'view':
        return info?.isDirectory() ? this.#viewDirectory(path, request.view_range) : this.#viewFile(path, request.view_range);
      case 'create':
        if (request.file_text === undefined) throw missingParameter('create', 'file_text');
        return this.#create(path, request.file_text);
      case 'str_replace':
        if (request.old_str === undefined) throw missingParameter('str_replace', 'old_str');
        if (request.new_str === undefined) throw missingParameter('str_replace', 'new_str');
        if (request.new_str === request.old_str) {
          throw invalidParameter(
            'new_str',
            request.new_str,
            'No replacement was performed. `new_str` and `old_str` must be different.',
          );
        }
        return this.#strReplace(path, request.old_str, request.new_str);
      case 'insert':
        if (request.insert_line === undefined) throw missingParameter('insert', 'insert_line');
        if (request.new_str === undefined) throw missingParameter('insert', 'new_str');
        return this.#insert(path, request.insert_line, request.new_str);
      case 'undo_edit':
        return this.#undo(path);
    }
  }

  /** The path must be absolute; a relative one gets a suggestion only when it exists under the workspace. */
  #validatePath(rawPath: string): string {
    if (!isAbsolute(rawPath)) {
      const suggestion = join(this.#workspace, rawPath);
      const hint = existsSync(suggestion) ? ` Maybe you meant ${suggestion}?` : '';
      throw invalidParameter('path', rawPath, `The path should be an absolute path.${hint}`);
    }
    return normalizeAbsolutePath(rawPath);
  }

  async #viewDirectory(path: string, viewRange: readonly number[] | undefined): Promise<EditorResult> {
    if (viewRange !== undefined && viewRange.length > 0) {
      throw invalidParameter(
        'view_range',
        formatList(viewRange),
        'The `view_range` parameter is not allowed when `path` points to a directory.',
      );
    }
    let listing;
    try {
      listing = await listDirectory(path);
    } catch (error) {
      throw new EditorError(`Ran into ${errorMessage(error)} while trying to list ${path}`);
    }
    return { content: renderDirectoryListing(path, listing), data: { command: 'view', path, prev_exist: true } };
  }

  async #viewFile(path: string, viewRange: readonly number[] | undefined): Promise<EditorResult> {
    const data = { command: 'view', path, prev_exist: true };
    const mimeType = imageMimeType(path);
    if (mimeType !== undefined) {
      await validateFile(path);
      const image: ImageContent = {
        type: 'image',
        image_urls: [`data:${mimeType};base64,${(await readFile(path)).toString('base64')}`],
      };
      return { content: [textContent(`Image file ${path} read successfully. Displaying image content.`), image], data };
    }

    const lines = splitLines((await readTextFile(path)).text);
    if (viewRange === undefined || viewRange.length === 0) return { content: catN(lines, path), data };

    const [start, requestedEnd] = viewRange;
    if (viewRange.length !== 2 || start === undefined || requestedEnd === undefined) {
      throw invalidParameter('view_range', formatList(viewRange), 'It should be a list of two integers.');
    }
    const lineCount = lines.length;
    if (start < 1 || start > lineCount) {
      throw invalidParameter(
        'view_range',
        formatList(viewRange),
        `Its first element \`${start}\` should be within the range of lines of the file: ${formatList([1, lineCount])}.`,
      );
    }
    let end = requestedEnd;
    let note = '';
    if (end === -1) end = lineCount;
    else if (end > lineCount) {
      note = `NOTE: We only show up to ${lineCount} since there're only ${lineCount} lines in this file.\n`;
      end = lineCount;
    }
    if (end < start) {
      throw invalidParameter(
        'view_range',
        formatList(viewRange),
        `Its second element \`${end}\` should be greater than or equal to the first element \`${start}\`.`,
      );
    }
    return { content: note + catN(lines.slice(start - 1, end), path, start), data };
  }

  async #create(path: string, fileText: string): Promise<EditorResult> {
    await writeTextFile(path, fileText);
    this.#history.push(path, null);
    return {
      content: `File created successfully at: ${path}`,
      data: { command: 'create', path, prev_exist: false, old_content: null, new_content: fileText },
    };
  }

  async #strReplace(path: string, oldStr: string, newStr: string): Promise<EditorResult> {
    const file = await readTextFile(path);
    let needle = oldStr;
    let occurrences = findOccurrences(file.text, needle);
    if (occurrences.length === 0) {
      // Models often add stray whitespace around old_str; new_str is kept exactly as given.
      needle = oldStr.trim();
      occurrences = findOccurrences(file.text, needle);
    }
    const [first] = occurrences;
    if (first === undefined) {
      throw new EditorError(`No replacement was performed, old_str \`${needle}\` did not appear verbatim in ${path}.`);
    }
    if (occurrences.length > 1) {
      throw new EditorError(
        `No replacement was performed. Multiple occurrences of old_str \`${needle}\` in lines ${formatList(occurrenceLines(occurrences))}. Please ensure it is unique.`,
      );
    }

    const newText = file.text.slice(0, first.index) + newStr + file.text.slice(first.index + needle.length);
    await writeTextFile(path, newText, file);
    this.#history.push(path, file.text);

    const newlines = newStr.split('\n').length - 1;
    const shown = snippet(
      newText,
      first.line - SNIPPET_CONTEXT_WINDOW + 1,
      first.line + SNIPPET_CONTEXT_WINDOW + newlines,
      `a snippet of ${path}`,
    );
    return {
      content: `The file ${path} has been edited. ${shown}Review the changes and make sure they are as expected. Edit the file again if necessary.`,
      data: { command: 'str_replace', path, prev_exist: true, old_content: file.text, new_content: newText },
    };
  }

  async #insert(path: string, insertLine: number, newStr: string): Promise<EditorResult> {
    const file = await readTextFile(path);
    const lineCount = splitLines(file.text).length;
    if (insertLine < 0 || insertLine > lineCount) {
      throw invalidParameter(
        'insert_line',
        String(insertLine),
        `It should be within the range of allowed values: ${formatList([0, lineCount])}`,
      );
    }
    const newText = insertAfterLine(file.text, insertLine, newStr);
    await writeTextFile(path, newText, file);
    this.#history.push(path, file.text);

    const inserted = newStr.split('\n').length;
    const shown = snippet(
      newText,
      insertLine - SNIPPET_CONTEXT_WINDOW + 1,
      Math.min(lineCount + inserted, insertLine + SNIPPET_CONTEXT_WINDOW + inserted),
      'a snippet of the edited file',
    );
    return {
      content: `The file ${path} has been edited. ${shown}Review the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary.`,
      data: { command: 'insert', path, prev_exist: true, old_content: file.text, new_content: newText },
    };
  }

  async #undo(path: string): Promise<EditorResult> {
    const file = await readTextFile(path);
    const current = file.text;
    const previous = this.#history.pop(path);
    if (previous === undefined) throw new EditorError(`No edit history found for ${path}.`);
    const data = { command: 'undo_edit', path, prev_exist: true, old_content: current, new_content: previous };
    if (previous === null) {
      await unlink(path);
      return {
        content: `Last edit to ${path} undone successfully. The file did not exist before it was created, so it has been removed.`,
        data,
      };
    }
    await writeTextFile(path, previous, file);
    return { content: `Last edit to ${path} undone successfully. ${catN(splitLines(previous), path)}`, data };
  }
}
