import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fileEditorTool } from '../src/file-editor/file-editor-tool.js';
import { TEXT_FILE_CONTENT_TRUNCATED_NOTICE } from '../src/file-editor/cat-n.js';
import { DIRECTORY_CONTENT_TRUNCATED_NOTICE } from '../src/file-editor/directory-view.js';
import { fakeContext, fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;
let run: ReturnType<typeof toolRunner>;
let testFile: string;

beforeEach(async () => {
  environment = fakeEnvironment();
  run = toolRunner(await fileEditorTool.create(environment, {}), environment);
  testFile = join(environment.workspace, 'test.txt');
  writeFileSync(testFile, 'This is a test file.\nThis file is for testing purposes.');
});

afterEach(() => environment.cleanup());

describe('view', () => {
  test('a file, cat -n style, with no extra line', async () => {
    const result = await run({ command: 'view', path: testFile });
    expect(result.text).toBe(
      `Here's the result of running \`cat -n\` on ${testFile}:\n     1\tThis is a test file.\n     2\tThis file is for testing purposes.\n`,
    );
    expect(result.data).toMatchObject({ command: 'view', path: testFile, prev_exist: true });
  });

  test('a trailing newline shows no extra empty numbered line', async () => {
    writeFileSync(testFile, 'a\nb\n');
    expect((await run({ command: 'view', path: testFile })).text).toBe(
      `Here's the result of running \`cat -n\` on ${testFile}:\n     1\ta\n     2\tb\n`,
    );
  });

  test('a range, with clamping note and -1 for the end', async () => {
    writeFileSync(testFile, Array.from({ length: 200 }, (_, i) => `Line ${i + 1}`).join('\n'));
    const range = await run({ command: 'view', path: testFile, view_range: [50, 100] });
    expect(range.text).toContain('    50\tLine 50\n');
    expect(range.text).toContain('   100\tLine 100\n');
    expect(range.text).not.toContain('Line 49\n');
    expect(range.text).not.toContain('101');
    const clamped = await run({ command: 'view', path: testFile, view_range: [199, 500] });
    expect(clamped.text.startsWith("NOTE: We only show up to 200 since there're only 200 lines in this file.\n")).toBe(true);
    expect((await run({ command: 'view', path: testFile, view_range: [200, -1] })).text).toContain('   200\tLine 200\n');
  });

  test('a directory two levels deep, hidden items excluded and counted', async () => {
    const dir = join(environment.workspace, 'test_dir');
    mkdirSync(join(dir, 'visible_dir'), { recursive: true });
    mkdirSync(join(dir, '.hidden_dir'));
    writeFileSync(join(dir, 'visible.txt'), 'x');
    writeFileSync(join(dir, '.hidden1'), 'x');
    writeFileSync(join(dir, '.hidden2'), 'x');
    writeFileSync(join(dir, 'visible_dir', 'nested.txt'), 'x');
    writeFileSync(join(dir, 'visible_dir', '.nested_hidden'), 'x');
    writeFileSync(join(dir, '.hidden_dir', 'inside.txt'), 'x');
    const result = await run({ command: 'view', path: `${dir}/` });
    expect(result.text).toBe(
      `Here's the files and directories up to 2 levels deep in ${dir}, excluding hidden items:\n` +
        `${dir}/\n${dir}/visible.txt\n${dir}/visible_dir/\n${dir}/visible_dir/nested.txt\n\n` +
        `3 hidden files/directories in this directory are excluded. You can use 'ls -la ${dir}' to see them.`,
    );
  });

  test('the workspace listing, exactly', async () => {
    const result = await run({ command: 'view', path: environment.workspace });
    expect(result.text).toBe(
      `Here's the files and directories up to 2 levels deep in ${environment.workspace}, excluding hidden items:\n${environment.workspace}/\n${testFile}`,
    );
  });

  test('large files and directories are clipped with their notices', async () => {
    writeFileSync(testFile, 'Line 1\n'.repeat(16_000));
    const file = await run({ command: 'view', path: testFile });
    expect(file.text).toContain(TEXT_FILE_CONTENT_TRUNCATED_NOTICE);
    expect(file.text).toContain(' 16000\tLine 1');
    const dir = join(environment.workspace, 'large');
    mkdirSync(dir);
    for (let i = 0; i < 1000; i += 1) writeFileSync(join(dir, `file_${i}.txt`), '');
    expect((await run({ command: 'view', path: dir })).text).toContain(DIRECTORY_CONTENT_TRUNCATED_NOTICE);
  });

  test('an image comes back as an image content part with a data URL', async () => {
    const image = join(environment.workspace, 'pixel.png');
    writeFileSync(image, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]));
    const tool = await fileEditorTool.create(environment, {});
    const output = await tool.execute(tool.parameters.parse({ command: 'view', path: image }), fakeContext(environment));
    if (typeof output === 'string' || typeof output.content === 'string') throw new Error('expected content parts');
    expect(output.content[0]).toEqual({ type: 'text', text: `Image file ${image} read successfully. Displaying image content.` });
    expect(output.content[1]).toEqual({ type: 'image', image_urls: [`data:image/png;base64,${readFileSync(image).toString('base64')}`] });
  });
});

describe('create', () => {
  test('writes the file, including an empty one', async () => {
    const path = join(environment.workspace, 'new.txt');
    const result = await run({ command: 'create', path, file_text: 'New file content' });
    expect(result.text).toBe(`File created successfully at: ${path}`);
    expect(result.data).toMatchObject({ prev_exist: false, new_content: 'New file content' });
    expect(readFileSync(path, 'utf8')).toBe('New file content');
    const empty = join(environment.workspace, 'empty.txt');
    await run({ command: 'create', path: empty, file_text: '' });
    expect(readFileSync(empty, 'utf8')).toBe('');
  });

  test('refuses an existing file and a missing parent directory', async () => {
    expect((await run({ command: 'create', path: testFile, file_text: 'x' })).text).toBe(
      `[An error occurred during execution.]\nInvalid \`path\` parameter: ${testFile}. File already exists at: ${testFile}. Cannot overwrite files using command \`create\`.`,
    );
    const orphan = join(environment.workspace, 'missing', 'f.txt');
    const result = await run({ command: 'create', path: orphan, file_text: 'x' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/^\[An error occurred during execution\.\]\nRan into .*no such file or directory.* while trying to write to /);
  });
});

describe('str_replace', () => {
  test('success snippet, exactly', async () => {
    const result = await run({ command: 'str_replace', path: testFile, old_str: 'test file', new_str: 'sample file' });
    expect(result.text).toBe(
      `The file ${testFile} has been edited. Here's the result of running \`cat -n\` on a snippet of ${testFile}:\n     1\tThis is a sample file.\n     2\tThis file is for testing purposes.\nReview the changes and make sure they are as expected. Edit the file again if necessary.`,
    );
    expect(readFileSync(testFile, 'utf8')).toBe('This is a sample file.\nThis file is for testing purposes.');
    expect(result.data).toMatchObject({
      command: 'str_replace',
      prev_exist: true,
      old_content: 'This is a test file.\nThis file is for testing purposes.',
      new_content: 'This is a sample file.\nThis file is for testing purposes.',
    });
  });

  test('multi-line replacement with tabs', async () => {
    writeFileSync(testFile, 'def test():\n\tprint("Hello, World!")');
    const result = await run({
      command: 'str_replace',
      path: testFile,
      old_str: 'def test():\n\tprint("Hello, World!")',
      new_str: 'def test():\n\tprint("Hello, Universe!")',
    });
    expect(result.text).toContain('     1\tdef test():\n     2\t\tprint("Hello, Universe!")\nReview');
  });

  test('snippets show true line numbers in a large file', async () => {
    writeFileSync(testFile, Array.from({ length: 700 }, (_, i) => `Line ${i + 1}`).join('\n') + '\n');
    expect((await run({ command: 'str_replace', path: testFile, old_str: 'Line 500\n', new_str: '500 new\n' })).text).toContain(
      '   500\t500 new\n',
    );
    const deleted = await run({ command: 'str_replace', path: testFile, old_str: '500 new\n', new_str: '' });
    expect(deleted.text).toContain('   499\tLine 499\n   500\tLine 501\n');
  });

  test('multiple occurrences are refused with their lines', async () => {
    const result = await run({ command: 'str_replace', path: testFile, old_str: 'test', new_str: 'sample' });
    expect(result.text).toBe(
      '[An error occurred during execution.]\nNo replacement was performed. Multiple occurrences of old_str `test` in lines [1, 2]. Please ensure it is unique.',
    );
    const block = 'def example():\n    print("Hello")\n    return True';
    writeFileSync(testFile, `${block}\n\nprint('separator')\n\n${block}`);
    expect((await run({ command: 'str_replace', path: testFile, old_str: block, new_str: 'x' })).text).toContain('in lines [1, 7].');
  });

  test('an empty old_str matches every line', async () => {
    writeFileSync(testFile, 'Line 1\nLine 2\nLine 3');
    expect((await run({ command: 'str_replace', path: testFile, old_str: '', new_str: 'New string' })).text).toBe(
      '[An error occurred during execution.]\nNo replacement was performed. Multiple occurrences of old_str `` in lines [1, 2, 3]. Please ensure it is unique.',
    );
  });

  test('a missing string, identical strings and a missing new_str', async () => {
    expect((await run({ command: 'str_replace', path: testFile, old_str: 'Non-existent Line', new_str: 'x' })).text).toBe(
      `[An error occurred during execution.]\nNo replacement was performed, old_str \`Non-existent Line\` did not appear verbatim in ${testFile}.`,
    );
    expect((await run({ command: 'str_replace', path: testFile, old_str: 'test file', new_str: 'test file' })).text).toBe(
      '[An error occurred during execution.]\nInvalid `new_str` parameter: test file. No replacement was performed. `new_str` and `old_str` must be different.',
    );
    expect((await run({ command: 'str_replace', path: testFile, old_str: 'test file' })).text).toBe(
      '[An error occurred during execution.]\nParameter `new_str` is required for command: str_replace.',
    );
  });

  test('surrounding whitespace of old_str is forgiven, new_str is kept exactly', async () => {
    await run({ command: 'str_replace', path: testFile, old_str: '  test file.\n', new_str: ' sample  ' });
    expect(readFileSync(testFile, 'utf8')).toBe('This is a  sample  \nThis file is for testing purposes.');
  });

  test('CRLF files keep their line endings; permission bits are kept', async () => {
    writeFileSync(testFile, 'one\r\ntwo\r\n');
    chmodSync(testFile, 0o640);
    await run({ command: 'str_replace', path: testFile, old_str: 'one\ntwo', new_str: 'uno\ndos' });
    expect(readFileSync(testFile, 'utf8')).toBe('uno\r\ndos\r\n');
    expect(statSync(testFile).mode & 0o777).toBe(0o640);
  });
});

describe('insert', () => {
  test('success snippet, exactly', async () => {
    const result = await run({ command: 'insert', path: testFile, insert_line: 1, new_str: 'Inserted line' });
    expect(result.text).toBe(
      `The file ${testFile} has been edited. Here's the result of running \`cat -n\` on a snippet of the edited file:\n     1\tThis is a test file.\n     2\tInserted line\n     3\tThis file is for testing purposes.\nReview the changes and make sure they are as expected (correct indentation, no duplicate lines, etc). Edit the file again if necessary.`,
    );
  });

  test('UTF-8 text into an ASCII file', async () => {
    const result = await run({ command: 'insert', path: testFile, insert_line: 0, new_str: '中文文本' });
    expect(readFileSync(testFile, 'utf8')).toBe('中文文本\nThis is a test file.\nThis file is for testing purposes.');
    expect(result.text).toContain('     1\t中文文本\n     2\tThis is a test file.\n');
  });

  test('after a last line without a newline, the lines are not glued', async () => {
    await run({ command: 'insert', path: testFile, insert_line: 2, new_str: 'Appended' });
    expect(readFileSync(testFile, 'utf8')).toBe('This is a test file.\nThis file is for testing purposes.\nAppended\n');
  });

  test('an out-of-range line is refused', async () => {
    expect((await run({ command: 'insert', path: testFile, insert_line: 10, new_str: 'x' })).text).toBe(
      '[An error occurred during execution.]\nInvalid `insert_line` parameter: 10. It should be within the range of allowed values: [0, 2]',
    );
  });
});

describe('undo_edit', () => {
  test('undoes edits as a stack', async () => {
    await run({ command: 'str_replace', path: testFile, old_str: 'test file', new_str: 'sample file v1' });
    await run({ command: 'str_replace', path: testFile, old_str: 'sample file v1', new_str: 'sample file v2' });
    const first = await run({ command: 'undo_edit', path: testFile });
    expect(first.text).toBe(
      `Last edit to ${testFile} undone successfully. Here's the result of running \`cat -n\` on ${testFile}:\n     1\tThis is a sample file v1.\n     2\tThis file is for testing purposes.\n`,
    );
    await run({ command: 'undo_edit', path: testFile });
    expect(readFileSync(testFile, 'utf8')).toBe('This is a test file.\nThis file is for testing purposes.');
    expect((await run({ command: 'undo_edit', path: testFile })).text).toBe(
      `[An error occurred during execution.]\nNo edit history found for ${testFile}.`,
    );
  });

  test('undo right after create removes the file', async () => {
    const path = join(environment.workspace, 'created.txt');
    await run({ command: 'create', path, file_text: 'x' });
    const result = await run({ command: 'undo_edit', path });
    expect(result.isError).toBe(false);
    expect(result.text).toContain(`Last edit to ${path} undone successfully.`);
    expect(existsSync(path)).toBe(false);
  });

  test('histories are per conversation', async () => {
    await run({ command: 'str_replace', path: testFile, old_str: 'test file', new_str: 'sample file' });
    const other = toolRunner(await fileEditorTool.create(environment, {}), environment);
    expect((await other({ command: 'undo_edit', path: testFile })).text).toContain('No edit history found');
  });
});
