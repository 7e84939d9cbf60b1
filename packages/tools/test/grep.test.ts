import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, createTool } from '@troupe/core';
import { MAX_GREP_FILE_MB, grepTool } from '../src/index.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;
let run: ReturnType<typeof toolRunner>;
let clock = 86_400;

beforeEach(async () => {
  environment = fakeEnvironment();
  run = toolRunner(await grepTool.create(environment, {}), environment);
});

afterEach(() => environment.cleanup());

/** Writes a file under the workspace, each one modified a minute after the one before. */
function file(path: string, content: string | Buffer): string {
  const absolute = join(environment.workspace, path);
  mkdirSync(dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
  clock += 60;
  utimesSync(absolute, clock, clock);
  return absolute;
}

describe('matching', () => {
  test('lists the files whose content matches, case-insensitively, newest first', async () => {
    const first = file('src/app.py', 'def main():\n    log.error("boom")\n');
    file('src/other.py', 'print("nothing here")\n');
    const second = file('README.md', 'See LOG.ERROR in the docs.\n');
    const result = await run({ pattern: 'log\\.error' });
    expect(result.isError).toBe(false);
    expect(result.data).toEqual({
      pattern: 'log\\.error',
      search_path: environment.workspace,
      include_pattern: null,
      matches: [second, first],
      truncated: false,
    });
    expect(result.text).toBe(`Found 2 file(s) containing pattern 'log\\.error' in '${environment.workspace}':\n${second}\n${first}`);
  });

  test('"^" and "$" match at line boundaries', async () => {
    const hit = file('a.ts', 'import x from "x";\nexport const y = 1;\n');
    file('b.ts', 'const z = "export";\n');
    expect((await run({ pattern: '^export const' })).data.matches).toEqual([hit]);
    expect((await run({ pattern: '= 1;$' })).data.matches).toEqual([hit]);
  });

  test('include narrows the files searched, by name at any depth or by path', async () => {
    const ts = file('src/deep/a.ts', 'needle');
    const tsx = file('src/b.tsx', 'needle');
    file('src/c.js', 'needle');
    const result = await run({ pattern: 'needle', include: '*.{ts,tsx}' });
    expect(result.data.matches).toEqual([tsx, ts]);
    expect(result.text.startsWith(`Found 2 file(s) containing pattern 'needle' in '${environment.workspace}' (filtered by '*.{ts,tsx}'):`)).toBe(true);
    expect((await run({ pattern: 'needle', include: 'src/*.tsx' })).data.matches).toEqual([tsx]);
  });

  test('a relative path is taken from the workspace', async () => {
    const inside = file('pkg/a.txt', 'needle');
    file('b.txt', 'needle');
    const result = await run({ pattern: 'needle', path: 'pkg' });
    expect(result.data).toMatchObject({ search_path: join(environment.workspace, 'pkg'), matches: [inside] });
  });

  test('no match says so, with the filter', async () => {
    file('a.txt', 'hay');
    const result = await run({ pattern: 'needle', include: '*.txt' });
    expect(result.isError).toBe(false);
    expect(result.text).toBe(`No files found containing pattern 'needle' in directory '${environment.workspace}' (filtered by '*.txt')`);
  });
});

describe('what is skipped', () => {
  test('.gitignore rules, the .git directory and hidden files', async () => {
    file('.gitignore', 'dist/\n*.log\n');
    const kept = file('src/a.js', 'needle');
    file('dist/a.js', 'needle');
    file('debug.log', 'needle');
    file('.git/objects/x', 'needle');
    file('.hidden/a.js', 'needle');
    file('.env', 'needle');
    expect((await run({ pattern: 'needle' })).data.matches).toEqual([kept]);
  });

  test('binary files, and files too large to search (counted in the output)', async () => {
    file('image.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x6e, 0x65, 0x65, 0x64, 0x6c, 0x65]));
    file('huge.txt', `${'x'.repeat(MAX_GREP_FILE_MB * 1024 * 1024)}\nneedle\n`);
    const text = file('small.txt', 'needle');
    const result = await run({ pattern: 'needle' });
    expect(result.data.matches).toEqual([text]);
    expect(result.text).toContain(`[1 file(s) larger than ${MAX_GREP_FILE_MB} MB were not searched.]`);
  });
});

describe('errors the model can correct', () => {
  test('an invalid regular expression', async () => {
    file('a.txt', 'x');
    const result = await run({ pattern: 'foo(' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('Invalid regex pattern: Invalid regular expression');
    expect(result.data.matches).toEqual([]);
  });

  test('a path that is not a directory', async () => {
    const result = await run({ pattern: 'x', path: '/nonexistent/path' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Search path '/nonexistent/path' is not a valid directory");
  });
});

describe('bounds', () => {
  test('at most 100 files, exactly the newest matching ones, and the output says it was truncated', async () => {
    const matching: string[] = [];
    for (let index = 0; index < 130; index += 1) {
      matching.push(file(`m/${index}.txt`, `line\nneedle ${index}\n`));
      file(`n/${index}.txt`, 'hay\n');
    }
    const result = await run({ pattern: 'needle' });
    expect(result.data.matches).toEqual(matching.slice(-100).reverse());
    expect(result.data.truncated).toBe(true);
    expect(result.text).toContain('Found 100 file(s)');
    expect(result.text.endsWith('[Results truncated to first 100 files. Consider using a more specific pattern.]')).toBe(true);
  });
});

test('the tool is read-only, and refuses params it does not know', async () => {
  expect((await grepTool.create(environment, {})).readOnly).toBe(true);
  await expect(createTool(grepTool, environment, { caseSensitive: true })).rejects.toThrow(ConfigError);
});
