import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, createTool } from '@troupe/core';
import { globTool } from '../src/index.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;
let run: ReturnType<typeof toolRunner>;

beforeEach(async () => {
  environment = fakeEnvironment();
  run = toolRunner(await globTool.create(environment, {}), environment);
});

afterEach(() => environment.cleanup());

/** Writes files under the workspace; the n-th file is modified n minutes after the epoch's first day. */
function files(...paths: string[]): void {
  paths.forEach((path, index) => {
    const absolute = join(environment.workspace, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, `content of ${path}\n`);
    const time = 86_400 + index * 60;
    utimesSync(absolute, time, time);
  });
}

const at = (path: string) => join(environment.workspace, path);

describe('matching', () => {
  test('a pattern without "/" matches file names at any depth; paths are absolute, newest first', async () => {
    files('test1.py', 'src/app.py', 'readme.md', 'src/deep/test2.py');
    const result = await run({ pattern: '*.py' });
    expect(result.isError).toBe(false);
    expect(result.data).toEqual({
      pattern: '*.py',
      search_path: environment.workspace,
      files: [at('src/deep/test2.py'), at('src/app.py'), at('test1.py')],
      truncated: false,
    });
    expect(result.text).toBe(
      `Found 3 file(s) matching pattern '*.py' in '${environment.workspace}':\n${at('src/deep/test2.py')}\n${at('src/app.py')}\n${at('test1.py')}`,
    );
  });

  test('a pattern with "/" matches paths from the search directory', async () => {
    files('src/a.ts', 'src/deep/b.ts', 'lib/src/c.ts');
    expect((await run({ pattern: 'src/*.ts' })).data.files).toEqual([at('src/a.ts')]);
    expect((await run({ pattern: './src/*.ts' })).data.files).toEqual([at('src/a.ts')]);
    expect((await run({ pattern: 'src/**/*.ts' })).data.files).toEqual([at('src/deep/b.ts'), at('src/a.ts')]);
    expect((await run({ pattern: '**/*.ts' })).data.files).toHaveLength(3);
  });

  test('braces, and an empty pattern lists every file', async () => {
    files('config.json', 'config.yaml', 'config.toml', 'app.py');
    expect((await run({ pattern: '**/*.{json,yaml}' })).data.files).toEqual([at('config.yaml'), at('config.json')]);
    expect((await run({ pattern: 'config.*' })).data.files).toHaveLength(3);
    expect((await run({ pattern: '' })).data.files).toHaveLength(4);
  });

  test('directories are not listed; links to files are, links to directories are not followed', async () => {
    files('real/target.txt');
    mkdirSync(at('empty-dir.txt'));
    symlinkSync(at('real/target.txt'), at('link.txt'));
    symlinkSync(at('real'), at('linked-dir'));
    const found = (await run({ pattern: '**/*.txt' })).data.files as string[];
    expect(found.sort()).toEqual([at('link.txt'), at('real/target.txt')]);
  });

  test('no match says so, and is no error', async () => {
    files('readme.md');
    const result = await run({ pattern: '*.py' });
    expect(result.isError).toBe(false);
    expect(result.text).toBe(`No files found matching pattern '*.py' in directory '${environment.workspace}'`);
    expect(result.data).toMatchObject({ files: [], truncated: false });
  });
});

describe('what is skipped', () => {
  test('.gitignore rules, nested ones overriding, and the .git directory', async () => {
    files(
      '.gitignore',
      'keep.txt',
      'debug.log',
      'build/out.txt',
      'sub/.gitignore',
      'sub/secret.txt',
      'sub/keep.log',
      'sub/visible.txt',
      '.git/config.txt',
    );
    writeFileSync(at('.gitignore'), 'build/\n*.log\n');
    writeFileSync(at('sub/.gitignore'), 'secret.txt\n!keep.log\n');
    const found = (await run({ pattern: '**/*' })).data.files as string[];
    expect(found.sort()).toEqual([at('keep.txt'), at('sub/keep.log'), at('sub/visible.txt')]);
  });

  test('the .gitignore files above the search path count, up to the repository top', async () => {
    files('.git/HEAD', '.gitignore', 'pkg/src/a.ts', 'pkg/dist/a.js', 'pkg/src/a.js');
    writeFileSync(at('.gitignore'), 'dist/\n');
    const result = await run({ pattern: '*.js', path: 'pkg' });
    expect(result.data.search_path).toBe(at('pkg'));
    expect(result.data.files).toEqual([at('pkg/src/a.js')]);
  });

  test('hidden files only when the pattern names them', async () => {
    files('.env', '.github/workflows/ci.yml', 'config.yml', 'src/.hidden/x.yml');
    expect((await run({ pattern: '**/*.yml' })).data.files).toEqual([at('config.yml')]);
    expect((await run({ pattern: '.github/**/*.yml' })).data.files).toEqual([at('.github/workflows/ci.yml')]);
    expect((await run({ pattern: '.env*' })).data.files).toEqual([at('.env')]);
  });
});

describe('search path', () => {
  test('a relative path is taken from the workspace; files outside it are not searched', async () => {
    files('main.txt', 'subdir/file1.txt', 'subdir/file2.txt');
    const result = await run({ pattern: '*.txt', path: 'subdir' });
    expect(result.data).toMatchObject({ search_path: at('subdir'), files: [at('subdir/file2.txt'), at('subdir/file1.txt')] });
  });

  test('an absolute pattern names its directory', async () => {
    files('a/x.py', 'b/y.py', 'a/deep/z.py');
    const result = await run({ pattern: `${at('a')}/**/*.py` });
    expect(result.data).toMatchObject({ search_path: at('a'), files: [at('a/deep/z.py'), at('a/x.py')] });
    expect((await run({ pattern: `${at('a')}/*.py`, path: environment.workspace })).data.files).toEqual([at('a/x.py')]);
  });

  test('an absolute pattern outside the given path is an error the model can correct', async () => {
    files('a/x.py');
    const result = await run({ pattern: '/elsewhere/**/*.py', path: at('a') });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("lies outside the search path");
  });

  test('a path that is not a directory is an error result', async () => {
    files('file.txt');
    for (const path of ['/nonexistent/path', 'file.txt']) {
      const result = await run({ pattern: '*.py', path });
      expect(result.isError).toBe(true);
      expect(result.text).toContain('is not a valid directory');
      expect(result.data.files).toEqual([]);
    }
  });
});

describe('bounds', () => {
  test('at most 100 files, the newest, and the output says it was truncated', async () => {
    files(...Array.from({ length: 150 }, (_, index) => `file_${String(index).padStart(3, '0')}.txt`));
    const result = await run({ pattern: '*.txt' });
    const found = result.data.files as string[];
    expect(found).toHaveLength(100);
    expect(found[0]).toBe(at('file_149.txt'));
    expect(found[99]).toBe(at('file_050.txt'));
    expect(result.data.truncated).toBe(true);
    expect(result.text).toContain('Found 100 file(s)');
    expect(result.text.endsWith('[Results truncated to first 100 files. Consider using a more specific pattern.]')).toBe(true);
  });
});

test('the tool is read-only, and refuses params it does not know', async () => {
  const tool = await globTool.create(environment, {});
  expect(tool.readOnly).toBe(true);
  expect(tool.description).toContain(`Your current working directory is: ${environment.workspace}`);
  await expect(createTool(globTool, environment, { maxResults: 5 })).rejects.toThrow(ConfigError);
});
