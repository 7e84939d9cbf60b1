import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fileEditorTool } from '../src/file-editor/file-editor-tool.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;
let run: ReturnType<typeof toolRunner>;
let testFile: string;

beforeEach(async () => {
  environment = fakeEnvironment();
  run = toolRunner(await fileEditorTool.create(environment, {}), environment);
  testFile = join(environment.workspace, 'test.txt');
  writeFileSync(testFile, 'line 1\nline 2\nline 3\n');
});

afterEach(() => environment.cleanup());

const HEADER = '[An error occurred during execution.]\n';

describe('path errors', () => {
  test('a relative path gets a suggestion only when that file exists in the workspace', async () => {
    expect((await run({ command: 'view', path: 'test.txt' })).text).toBe(
      `${HEADER}Invalid \`path\` parameter: test.txt. The path should be an absolute path. Maybe you meant ${testFile}?`,
    );
    expect((await run({ command: 'view', path: 'nope.txt' })).text).toBe(
      `${HEADER}Invalid \`path\` parameter: nope.txt. The path should be an absolute path.`,
    );
  });

  test('a missing path', async () => {
    const missing = join(environment.workspace, 'nonexistent.txt');
    const result = await run({ command: 'view', path: missing });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(`${HEADER}Invalid \`path\` parameter: ${missing}. The path ${missing} does not exist. Please provide a valid path.`);
  });

  test('a directory with a command other than view', async () => {
    const dir = join(environment.workspace, 'dir');
    mkdirSync(dir);
    expect((await run({ command: 'str_replace', path: dir, old_str: 'a', new_str: 'b' })).text).toBe(
      `${HEADER}Invalid \`path\` parameter: ${dir}. The path ${dir} is a directory and only the \`view\` command can be used on directories.`,
    );
  });
});

describe('view_range errors', () => {
  test.each([
    [[1], 'Invalid `view_range` parameter: [1]. It should be a list of two integers.'],
    [[0, 2], 'Invalid `view_range` parameter: [0, 2]. Its first element `0` should be within the range of lines of the file: [1, 3].'],
    [[3, 2], 'Invalid `view_range` parameter: [3, 2]. Its second element `2` should be greater than or equal to the first element `3`.'],
  ])('%j', async (viewRange, message) => {
    expect((await run({ command: 'view', path: testFile, view_range: viewRange })).text).toBe(HEADER + message);
  });

  test('an end past the file is clamped with a note', async () => {
    expect((await run({ command: 'view', path: testFile, view_range: [1, 10] })).text).toContain(
      "NOTE: We only show up to 3 since there're only 3 lines in this file.",
    );
  });

  test('no view_range on a directory', async () => {
    expect((await run({ command: 'view', path: environment.workspace, view_range: [1, 2] })).text).toContain(
      'The `view_range` parameter is not allowed when `path` points to a directory.',
    );
  });
});

describe('file validation', () => {
  test('binary files are refused', async () => {
    const binary = join(environment.workspace, 'data.bin');
    writeFileSync(binary, Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]));
    expect((await run({ command: 'view', path: binary })).text).toBe(
      `${HEADER}File validation failed for ${binary}: File appears to be binary and this file type cannot be read or edited by this tool.`,
    );
  });

  test('files over 10 MB are refused', async () => {
    const large = join(environment.workspace, 'large.txt');
    writeFileSync(large, Buffer.alloc(11 * 1024 * 1024, 'a'));
    expect((await run({ command: 'view', path: large })).text).toBe(
      `${HEADER}File validation failed for ${large}: File is too large (11.0MB). Maximum allowed size is 10MB.`,
    );
  });

  test('Latin-1 text is editable and stays Latin-1', async () => {
    const latin = join(environment.workspace, 'latin.txt');
    writeFileSync(latin, Buffer.from('caf\xe9\n', 'latin1'));
    await run({ command: 'str_replace', path: latin, old_str: 'café', new_str: 'thé' });
    expect(readFileSync(latin)).toEqual(Buffer.from('th\xe9\n', 'latin1'));
  });
});

describe('missing parameters', () => {
  test.each([
    [{ command: 'create' }, 'Parameter `file_text` is required for command: create.'],
    [{ command: 'str_replace', new_str: 'x' }, 'Parameter `old_str` is required for command: str_replace.'],
    [{ command: 'insert', new_str: 'x' }, 'Parameter `insert_line` is required for command: insert.'],
    [{ command: 'insert', insert_line: 1 }, 'Parameter `new_str` is required for command: insert.'],
  ])('%j', async (args, message) => {
    const path = args.command === 'create' ? join(environment.workspace, 'fresh.txt') : testFile;
    expect((await run({ ...args, path })).text).toBe(HEADER + message);
  });
});
