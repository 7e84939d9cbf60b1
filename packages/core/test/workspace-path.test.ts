import { statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, prepareWorkspace, resolveWorkspacePath, reviveError, WorkspacePathError, workspacePathProblem } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('workspacePathProblem (text only)', () => {
  it('names each problem of a path, and none for an ordinary one', () => {
    expect(workspacePathProblem('/home/ada/project')).toBeUndefined();
    expect(workspacePathProblem('/')).toBeUndefined();
    expect(workspacePathProblem('')).toBe('is empty');
    expect(workspacePathProblem('/tmp/a\0b')).toBe('contains a NUL byte');
    expect(workspacePathProblem('relative/dir')).toBe('is not an absolute path');
    expect(workspacePathProblem(`/${'x'.repeat(5000)}`)).toMatch(/longer than 4096/);
    expect(workspacePathProblem(`/${Array(65).fill('d').join('/')}`)).toMatch(/more than 64 directories/);
    expect(workspacePathProblem(`/${Array(64).fill('d').join('/')}`)).toBeUndefined();
    for (const path of ['/proc', '/proc/self/xyz', '/sys/kernel', '/dev/shm/work']) expect(workspacePathProblem(path)).toMatch(/kernel pseudo-filesystem/);
    expect(workspacePathProblem('/process/data')).toBeUndefined();
    expect(workspacePathProblem('/devices')).toBeUndefined();
  });
});

describe('resolveWorkspacePath and prepareWorkspace', () => {
  it('resolve against the base and create every missing level', async () => {
    const base = tempDir();
    const path = await prepareWorkspace('a/b/c', base);
    expect(path).toBe(join(base, 'a/b/c'));
    expect(statSync(path).isDirectory()).toBe(true);
    expect(await prepareWorkspace(path)).toBe(path);
    expect(await resolveWorkspacePath(join(base, 'not/yet'))).toBe(join(base, 'not/yet'));
  });

  it('refuse with a WorkspacePathError (a ConfigError) at once, creating nothing', async () => {
    const base = tempDir();
    writeFileSync(join(base, 'file'), 'x');
    symlinkSync('/proc/self', join(base, 'into-proc'));
    symlinkSync(join(base, 'file'), join(base, 'link-to-file'));
    const cases: [string, RegExp][] = [
      ['/proc/self/xyz', /under \/proc/],
      ['/sys/xyz', /under \/sys/],
      ['/dev/xyz', /under \/dev/],
      [join(base, 'file'), /an existing file/],
      [join(base, 'file/sub'), /a file where a directory should be/],
      [join(base, 'link-to-file'), /an existing file/],
      [join(base, 'into-proc/xyz'), /leads to \/proc\/\d+\/xyz, which is under \/proc/],
      [join(base, 'a\0b'), /NUL byte/],
      [`${base}/${Array(70).fill('d').join('/')}`, /directories deep/],
    ];
    for (const [path, message] of cases) {
      for (const check of [resolveWorkspacePath, prepareWorkspace]) {
        const error = await check(path).then(() => null, (caught: unknown) => caught);
        expect(error, path).toBeInstanceOf(WorkspacePathError);
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message, path).toMatch(message);
      }
    }
    expect(() => statSync(join(base, 'd'))).toThrow();
  });

  it('fails, never loops, where a directory cannot be made', async () => {
    const base = tempDir();
    symlinkSync('/nonexistent/target', join(base, 'dangling'));
    await expect(prepareWorkspace(join(base, 'dangling/sub'))).rejects.toThrow(/cannot be created/);
  });

  it('keeps its class across threads', () => {
    expect(reviveError({ name: 'WorkspacePathError', message: 'x' })).toBeInstanceOf(WorkspacePathError);
  });
});
