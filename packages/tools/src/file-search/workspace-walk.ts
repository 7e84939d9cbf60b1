import { readFile, readdir, stat } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** A file found by the walk: its absolute path and its `/`-separated path relative to the walk's root. */
export interface WalkedFile {
  readonly path: string;
  readonly relativePath: string;
}

export interface WalkOptions {
  /** Visit names starting with `.` (never `.git`). */
  readonly includeHidden: boolean;
  /** The walk stops early (and says so) when this is aborted or at `deadline` (epoch ms). */
  readonly signal?: AbortSignal;
  readonly deadline?: number;
}

export interface WalkResult {
  readonly files: WalkedFile[];
  /** False when the walk stopped early: the files are then only part of what there is. */
  readonly complete: boolean;
}

/** The rules of one `.gitignore`, which apply to paths relative to its directory. */
interface IgnoreScope {
  readonly directory: string;
  readonly rules: Ignore;
}

/**
 * Lists the files under `root` the way git sees the work tree: `.git` is skipped and `.gitignore`
 * files are honoured, those of the directories walked and those above `root` up to the repository's
 * top (the nearest directory holding `.git`), a deeper file's rules overriding a shallower one's.
 * Symbolic links to files are listed; links to directories are not followed (no cycles).
 */
export async function walkFiles(root: string, options: WalkOptions): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const pending: { directory: string; scopes: readonly IgnoreScope[] }[] = [
    { directory: root, scopes: await ancestorScopes(root) },
  ];
  while (pending.length > 0) {
    if (options.signal?.aborted || (options.deadline !== undefined && Date.now() > options.deadline)) {
      return { files, complete: false };
    }
    const { directory, scopes: parentScopes } = pending.pop()!;
    const entries = await readdir(directory, { withFileTypes: true }).catch(() => [] as Dirent[]);
    const own = await readScope(directory);
    const scopes = own ? [...parentScopes, own] : parentScopes;
    for (const entry of entries) {
      if (entry.name === '.git' || (!options.includeHidden && entry.name.startsWith('.'))) continue;
      const path = join(directory, entry.name);
      const kind = await entryKind(entry, path);
      if (kind === undefined || isIgnored(scopes, path, kind === 'directory')) continue;
      if (kind === 'directory') pending.push({ directory: path, scopes });
      else files.push({ path, relativePath: relative(root, path).split('\\').join('/') });
    }
  }
  return { files, complete: true };
}

async function entryKind(entry: Dirent, path: string): Promise<'file' | 'directory' | undefined> {
  if (entry.isDirectory()) return 'directory';
  if (entry.isFile()) return 'file';
  if (!entry.isSymbolicLink()) return undefined;
  const target = await stat(path).catch(() => undefined);
  return target?.isFile() ? 'file' : undefined;
}

/** The deepest `.gitignore` with a rule for the path decides, as in git. */
function isIgnored(scopes: readonly IgnoreScope[], path: string, isDirectory: boolean): boolean {
  for (let index = scopes.length - 1; index >= 0; index -= 1) {
    const scope = scopes[index]!;
    const result = scope.rules.test(relative(scope.directory, path) + (isDirectory ? '/' : ''));
    if (result.ignored) return true;
    if (result.unignored) return false;
  }
  return false;
}

async function readScope(directory: string): Promise<IgnoreScope | undefined> {
  const text = await readFile(join(directory, '.gitignore'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { directory, rules: ignore().add(text) };
}

/** The `.gitignore` files above `root` inside its repository, shallowest first; none outside a repository. */
async function ancestorScopes(root: string): Promise<IgnoreScope[]> {
  const ancestors: string[] = [];
  let directory = root;
  while (!(await exists(join(directory, '.git')))) {
    const parent = dirname(directory);
    if (parent === directory) return [];
    ancestors.unshift(parent);
    directory = parent;
  }
  const scopes = await Promise.all(ancestors.map(readScope));
  return scopes.filter((scope): scope is IgnoreScope => scope !== undefined);
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
