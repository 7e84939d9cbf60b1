import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, createTool } from '@troupe/core';
import { applyPatchTool } from '../src/index.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;
let run: ReturnType<typeof toolRunner>;

beforeEach(async () => {
  environment = fakeEnvironment();
  run = toolRunner(await applyPatchTool.create(environment, {}), environment);
});

afterEach(() => environment.cleanup());

const at = (path: string) => join(environment.workspace, path);
const read = (path: string) => readFileSync(at(path), 'utf8');
function write(path: string, content: string): void {
  mkdirSync(dirname(at(path)), { recursive: true });
  writeFileSync(at(path), content);
}
const patch = (...lines: string[]) => ({ patch: ['*** Begin Patch', ...lines, '*** End Patch'].join('\n') });

describe('operations', () => {
  test('add a file, creating its directories; the result lists it', async () => {
    const result = await run(patch('*** Add File: src/new/hello.py', '+def hello():', '+    return "hi"'));
    expect(result.isError).toBe(false);
    expect(read('src/new/hello.py')).toBe('def hello():\n    return "hi"\n');
    expect(result.text).toBe('Done! Updated the following files:\nA src/new/hello.py');
    expect(result.data).toMatchObject({
      fuzz: 0,
      commit: { changes: { 'src/new/hello.py': { type: 'add', old_content: null, new_content: 'def hello():\n    return "hi"\n', move_path: null } } },
    });
  });

  test('update with several hunks, each with several changes', async () => {
    write('calc.py', ['import os', 'import sys', '', 'def add(a, b):', '    return a+b', '', 'def sub(a, b):', '    return a-b', '', 'def mul(a, b):', '    return a*b', ''].join('\n'));
    const result = await run(
      patch(
        '*** Update File: calc.py',
        '@@',
        ' import os',
        '-import sys',
        ' ',
        ' def add(a, b):',
        '-    return a+b',
        '+    return a + b',
        '@@ def mul(a, b):',
        '-    return a*b',
        '+    return a * b',
        '+',
        '+',
        '+def div(a, b):',
        '+    return a / b',
      ),
    );
    expect(result.isError).toBe(false);
    expect(read('calc.py')).toBe(
      ['import os', '', 'def add(a, b):', '    return a + b', '', 'def sub(a, b):', '    return a-b', '', 'def mul(a, b):', '    return a * b', '', '', 'def div(a, b):', '    return a / b', ''].join('\n'),
    );
    expect(result.text).toBe('Done! Updated the following files:\nM calc.py');
  });

  test('delete a file', async () => {
    write('gone.txt', 'bye\n');
    const result = await run(patch('*** Delete File: gone.txt'));
    expect(result.isError).toBe(false);
    expect(existsSync(at('gone.txt'))).toBe(false);
    expect(result.data).toMatchObject({ commit: { changes: { 'gone.txt': { type: 'delete', old_content: 'bye\n' } } } });
  });

  test('move a file while changing it, into a new directory; a move alone needs no hunk', async () => {
    write('old.txt', 'one\ntwo\n');
    write('plain.txt', 'same\n');
    const result = await run(
      patch('*** Update File: old.txt', '*** Move to: moved/new.txt', '@@', ' one', '-two', '+TWO', '*** Update File: plain.txt', '*** Move to: renamed.txt'),
    );
    expect(result.isError).toBe(false);
    expect(existsSync(at('old.txt'))).toBe(false);
    expect(read('moved/new.txt')).toBe('one\nTWO\n');
    expect(existsSync(at('plain.txt'))).toBe(false);
    expect(read('renamed.txt')).toBe('same\n');
    expect(result.text).toBe('Done! Updated the following files:\nM old.txt (moved to moved/new.txt)\nM plain.txt (moved to renamed.txt)');
  });

  test('add, update and delete in one patch', async () => {
    write('existing.txt', 'base\n');
    write('delete_me.txt', 'gone soon\n');
    const result = await run(patch('*** Add File: added.txt', '+new content', '*** Update File: existing.txt', '@@', ' base', '+more', '*** Delete File: delete_me.txt'));
    expect(result.isError).toBe(false);
    expect(read('added.txt')).toBe('new content\n');
    expect(read('existing.txt')).toBe('base\nmore\n');
    expect(existsSync(at('delete_me.txt'))).toBe(false);
  });
});

describe('where a hunk goes', () => {
  test('a context that matches nowhere names the file and the line, and nothing is written', async () => {
    write('a.txt', 'line1\nline2\nline3\nline4\n');
    write('b.txt', 'keep\n');
    const result = await run(
      patch('*** Update File: b.txt', '@@', '-keep', '+changed', '*** Add File: c.txt', '+c', '*** Update File: a.txt', '@@', ' line2', ' line3', '-line5', '+LINE5'),
    );
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Invalid Context in a.txt: the hunk at patch line 9 does not match the file.');
    expect(result.text).toContain("Its first 2 line(s) match at line 2, but its line 'line5' does not match line 4: 'line4'.");
    expect(read('b.txt')).toBe('keep\n');
    expect(existsSync(at('c.txt'))).toBe(false);
    expect(read('a.txt')).toBe('line1\nline2\nline3\nline4\n');
  });

  test('a first line that is nowhere is named', async () => {
    write('a.txt', 'x\n');
    const result = await run(patch('*** Update File: a.txt', '@@', ' nope', '-x'));
    expect(result.text).toContain("does not match the file. No line there matches its first line, 'nope'.");
  });

  test('a context that matches several places is refused; an @@ line tells them apart', async () => {
    const source = ['function a() {', '  return 1;', '}', 'function b() {', '  return 1;', '}', ''].join('\n');
    write('f.js', source);
    const ambiguous = await run(patch('*** Update File: f.js', '@@', '-  return 1;', '+  return 2;'));
    expect(ambiguous.isError).toBe(true);
    expect(ambiguous.text).toContain('Ambiguous context in f.js: the hunk at patch line 3 matches 2 places (lines 2, 5).');
    expect(read('f.js')).toBe(source);

    const anchored = await run(patch('*** Update File: f.js', '@@ function b() {', '-  return 1;', '+  return 2;'));
    expect(anchored.isError).toBe(false);
    expect(read('f.js')).toBe(source.replace('b() {\n  return 1;', 'b() {\n  return 2;'));
  });

  test('an @@ line that is not in the file is named', async () => {
    write('f.js', 'x\n');
    const result = await run(patch('*** Update File: f.js', '@@ function missing() {', '-x'));
    expect(result.text).toContain("Invalid Context in f.js: the line '@@ function missing() {' (patch line 3) names a line that is not in the file.");
  });

  test('the first hunk may leave out its @@ line', async () => {
    write('f.txt', 'a\nb\n');
    expect((await run(patch('*** Update File: f.txt', ' a', '-b', '+B'))).isError).toBe(false);
    expect(read('f.txt')).toBe('a\nB\n');
  });

  test('a unified-diff range header anchors nothing', async () => {
    write('f.txt', 'a\nb\n');
    expect((await run(patch('*** Update File: f.txt', '@@ -1,2 +1,2 @@', ' a', '-b', '+B'))).isError).toBe(false);
    expect(read('f.txt')).toBe('a\nB\n');
  });

  test('hunks out of file order are refused with the reason', async () => {
    write('f.txt', 'a\nb\nc\nd\n');
    const result = await run(patch('*** Update File: f.txt', '@@', ' c', '-d', '+D', '@@', ' a', '-b', '+B'));
    expect(result.text).toContain('before the previous hunk: hunks must follow the order of the file');
  });

  test('*** End of File: the hunk goes at the end even when its lines occur earlier too', async () => {
    write('f.txt', 'end\nmiddle\nend\n');
    const result = await run(patch('*** Update File: f.txt', '@@', '-end', '+END', '*** End of File'));
    expect(result.isError).toBe(false);
    expect(read('f.txt')).toBe('end\nmiddle\nEND\n');
    expect(result.data.fuzz).toBe(0);
  });

  test('*** End of File with only added lines appends', async () => {
    write('f.txt', 'a\n');
    expect((await run(patch('*** Update File: f.txt', '@@', '+b', '*** End of File'))).isError).toBe(false);
    expect(read('f.txt')).toBe('a\nb\n');
  });

  test('trailing whitespace, then all surrounding whitespace, is tolerated; the file keeps its own context lines', async () => {
    write('fuzz.txt', 'a\ncontext line   \nend\n');
    const trailing = await run(patch('*** Update File: fuzz.txt', '@@', ' context line', '-end', '+END'));
    expect(trailing.isError).toBe(false);
    expect(trailing.data.fuzz).toBe(1);
    expect(read('fuzz.txt')).toBe('a\ncontext line   \nEND\n');
    expect(trailing.text).toContain('Some hunks matched the file only loosely');

    write('indent.py', 'def f():\n        return 1\n');
    const indented = await run(patch('*** Update File: indent.py', '@@', ' def f():', '-    return 1', '+        return 2'));
    expect(indented.isError).toBe(false);
    expect(indented.data.fuzz).toBe(100);
    expect(read('indent.py')).toBe('def f():\n        return 2\n');
  });
});

describe('files as they are', () => {
  test('a CRLF file stays CRLF, and a patch sent with CRLF works', async () => {
    writeFileSync(at('win.txt'), 'one\r\ntwo\r\nthree\r\n');
    const text = ['*** Begin Patch', '*** Update File: win.txt', '@@', ' one', '-two', '+TWO', ' three', '*** End Patch'].join('\r\n');
    expect((await run({ patch: text })).isError).toBe(false);
    expect(readFileSync(at('win.txt'), 'utf8')).toBe('one\r\nTWO\r\nthree\r\n');
  });

  test('a file without a final newline keeps lacking it', async () => {
    write('f.txt', 'a\nb');
    expect((await run(patch('*** Update File: f.txt', '@@', ' a', '-b', '+c'))).isError).toBe(false);
    expect(read('f.txt')).toBe('a\nc');
  });

  test('an empty context line may lose its leading space', async () => {
    write('f.txt', 'a\n\nb\n');
    expect((await run(patch('*** Update File: f.txt', '@@', ' a', '', '-b', '+B'))).isError).toBe(false);
    expect(read('f.txt')).toBe('a\n\nB\n');
  });
});

describe('paths', () => {
  test('paths outside the workspace are refused, by name or through a link', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'troupe-outside-'));
    try {
      symlinkSync(outside, at('link'));
      for (const path of ['../escape.txt', '/etc/passwd', 'link/owned.txt']) {
        const result = await run(patch(`*** Add File: ${path}`, '+x'));
        expect(result.isError).toBe(true);
        expect(result.text).toContain('Absolute or escaping paths are not allowed');
      }
      expect(existsSync(join(outside, 'owned.txt'))).toBe(false);
      write('source.txt', 'hello\n');
      const move = await run(patch('*** Update File: source.txt', '*** Move to: ../outside.txt', '@@', ' hello'));
      expect(move.isError).toBe(true);
      expect(existsSync(at('source.txt'))).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('an absolute path inside the workspace works', async () => {
    expect((await run(patch(`*** Add File: ${at('abs.txt')}`, '+x'))).isError).toBe(false);
    expect(read('abs.txt')).toBe('x\n');
  });
});

describe('malformed patches and missing files are error results', () => {
  test.each([
    ['no begin line', { patch: 'INVALID HEADER\n*** End Patch' }, "the first line must be '*** Begin Patch'"],
    ['no end line', { patch: '*** Begin Patch\n*** Add File: a.txt\n+x' }, "the last line must be '*** End Patch'"],
    ['no operation', patch(), 'it changes no file'],
    ['an unknown line', patch('*** Rename File: a.txt'), "Invalid patch line 2: '*** Rename File: a.txt'"],
    ['an added line without +', patch('*** Add File: a.txt', 'x'), "Invalid line 3 in the new file a.txt: 'x'"],
    ['a duplicate path', patch('*** Add File: dup.txt', '+one', '*** Add File: dup.txt', '+two'), 'Duplicate path in the patch: dup.txt'],
    ['an update of a missing file', patch('*** Update File: missing.txt', '@@', '-x'), 'Update File Error: Missing File: missing.txt'],
    ['a delete of a missing file', patch('*** Delete File: missing.txt'), 'Delete File Error: Missing File: missing.txt'],
    ['an empty hunk', patch('*** Update File: there.txt', '@@ x'), 'Empty hunk at line 3'],
  ])('%s', async (_name, args, message) => {
    write('there.txt', 'x\n');
    const result = await run(args);
    expect(result.isError).toBe(true);
    expect(result.text).toContain(message);
  });

  test('a hunk line with no prefix names the line', async () => {
    write('f.txt', 'a\n');
    const result = await run(patch('*** Update File: f.txt', '@@', ' a', 'b'));
    expect(result.text).toContain("Invalid line 5 in the update of f.txt: 'b'");
  });
});

test('a write that fails puts back the files already changed', async () => {
  write('a.txt', 'old\n');
  write('blocker', 'a file where a directory is needed\n');
  const result = await run(patch('*** Update File: a.txt', '@@', '-old', '+new', '*** Add File: blocker/new.txt', '+x'));
  expect(result.isError).toBe(true);
  expect(result.text).toContain('Could not apply the patch');
  expect(result.text).toContain('No file was changed.');
  expect(read('a.txt')).toBe('old\n');
});

test('the tool has side effects, and refuses params it does not know', async () => {
  expect((await applyPatchTool.create(environment, {})).readOnly).toBe(false);
  await expect(createTool(applyPatchTool, environment, { fuzzy: false })).rejects.toThrow(ConfigError);
});
