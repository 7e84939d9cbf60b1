import { execFile } from 'node:child_process';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { resolveShell, shellEnvironment } from '@troupe/tools';
import { z } from 'zod';
import { HttpError } from './http-error.js';

/** OpenHands' git shapes: a changed file, and one file's two versions. */
export const GitChangeSchema = z.object({ status: z.enum(['MOVED', 'ADDED', 'DELETED', 'UPDATED']), path: z.string() });
export type GitChange = z.output<typeof GitChangeSchema>;
export const GitDiffSchema = z.object({ modified: z.string().nullable(), original: z.string().nullable() });
export type GitDiff = z.output<typeof GitDiffSchema>;

/** A ref from a query: never an option (`-…`), no whitespace or control characters. */
export const GitRefSchema = z.string().min(1).max(256).regex(/^[^-\s\0-\x1f][^\s\0-\x1f]*$/, 'a git ref (a branch, tag, HEAD or a commit), not an option');
export const GitShaSchema = z.string().regex(/^[0-9a-fA-F]{4,64}$/, 'a commit SHA');

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const MAX_DIFF_FILE_BYTES = 1024 * 1024;
const GIT_TIMEOUT_MS = 30_000;

class GitFailed extends Error {}

/** Runs git in `cwd` with the terminal's environment allow-list (never the server's keys), no prompt, no pager. */
function git(cwd: string, args: readonly string[]): Promise<string> {
  const shell = resolveShell(undefined);
  const env = { ...shellEnvironment(process.env, { shell, extra: {} }), GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  return new Promise((resolve, reject) => {
    execFile('git', ['--no-pager', ...args], { cwd, env, timeout: GIT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new GitFailed(`git ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve(stdout);
    });
  });
}

const attempt = (cwd: string, args: readonly string[]): Promise<string | null> => git(cwd, args).then((out) => out.trim(), () => null);

/** Parses `git diff --name-status` (tab-separated): renames become DELETED + ADDED, copies ADDED. Pure. */
export function parseNameStatus(output: string): GitChange[] {
  const changes: GitChange[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const [status = '', first = '', second] = line.split('\t');
    if (status.startsWith('R') && second !== undefined) changes.push({ status: 'DELETED', path: first }, { status: 'ADDED', path: second });
    else if (status.startsWith('C') && second !== undefined) changes.push({ status: 'ADDED', path: second });
    else if (status === 'A') changes.push({ status: 'ADDED', path: first });
    else if (status === 'D') changes.push({ status: 'DELETED', path: first });
    else if (status === 'M' || status === 'U' || status === 'T') changes.push({ status: 'UPDATED', path: first });
    else throw new HttpError(400, `Unexpected git diff output: ${JSON.stringify(line)}`);
  }
  return changes;
}

/**
 * The base a repository's changes are shown against (OpenHands' display rule, with local refs
 * only): an explicit `ref`; else the branch's upstream (unless it is HEAD with a clean tree), the
 * fork point from origin's default branch, that branch's tip, the fork point from a local
 * main/master, HEAD, or, without commits, the empty tree.
 */
async function baseRef(repo: string, ref: string | undefined): Promise<string> {
  if (ref !== undefined) {
    const resolved = await attempt(repo, ['rev-parse', '--verify', `${ref}^{commit}`]);
    if (resolved) return resolved;
    if (ref === 'HEAD') return EMPTY_TREE;
    throw new HttpError(400, `git ref ${JSON.stringify(ref)} does not name a commit in ${repo}`);
  }
  const head = await attempt(repo, ['rev-parse', '--verify', 'HEAD^{commit}']);
  if (!head) return EMPTY_TREE;
  const branch = await attempt(repo, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const current = branch && branch !== 'HEAD' ? branch : null;
  if (current) {
    const upstream = await attempt(repo, ['rev-parse', '--verify', `origin/${current}^{commit}`]);
    const clean = (await attempt(repo, ['status', '--porcelain', '--untracked-files=no'])) === '';
    if (upstream && !(upstream === head && clean)) return upstream;
  }
  const originHead = await attempt(repo, ['rev-parse', '--abbrev-ref', 'origin/HEAD']);
  const defaultBranch = originHead?.startsWith('origin/') ? originHead.slice('origin/'.length) : null;
  if (defaultBranch) {
    const forkPoint = await attempt(repo, ['merge-base', 'HEAD', `origin/${defaultBranch}`]);
    if (forkPoint) return forkPoint;
    const tip = await attempt(repo, ['rev-parse', '--verify', `origin/${defaultBranch}^{commit}`]);
    if (tip) return tip;
  } else {
    for (const local of ['main', 'master']) {
      const sha = await attempt(repo, ['rev-parse', '--verify', `${local}^{commit}`]);
      if (!sha) continue;
      if (local !== current && (await attempt(repo, ['merge-base', 'HEAD', local])) === sha) return sha;
      break;
    }
  }
  return head;
}

async function isRepository(directory: string): Promise<boolean> {
  return (await attempt(directory, ['rev-parse', '--git-dir'])) !== null;
}

async function changesInRepo(repo: string, ref: string | undefined): Promise<GitChange[]> {
  const base = await baseRef(repo, ref);
  const changes = parseNameStatus(await git(repo, ['diff', '--name-status', base]).catch((error: unknown) => Promise.reject(new HttpError(400, String((error as Error).message)))));
  const untracked = (await attempt(repo, ['ls-files', '--others', '--exclude-standard'])) ?? '';
  for (const path of untracked.split('\n')) if (path.trim() !== '') changes.push({ status: 'ADDED', path: path.trim() });
  return changes;
}

/** The changes of the repository at `directory` and of the repositories one level below it; [] when it is no repository. */
export async function gitChanges(directory: string, ref?: string): Promise<GitChange[]> {
  if (!(await stat(directory).then((info) => info.isDirectory(), () => false)) || !(await isRepository(directory))) return [];
  const entries = await readdir(directory, { withFileTypes: true });
  const nested = (await Promise.all(entries.filter((entry) => entry.isDirectory()).map(async (entry) => ((await stat(join(directory, entry.name, '.git')).then(() => true, () => false)) ? entry.name : null)))).filter(
    (name): name is string => name !== null,
  );
  const inNested = (path: string) => nested.some((name) => path === name || path.startsWith(`${name}/`));
  const changes = (await changesInRepo(directory, ref)).filter((change) => !inNested(change.path));
  for (const name of nested) {
    const inner = await changesInRepo(join(directory, name), ref).catch(() => []);
    changes.push(...inner.map((change) => ({ ...change, path: `${name}/${change.path}` })));
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function closestRepository(file: string): Promise<string | null> {
  for (let directory = dirname(file); ; directory = dirname(directory)) {
    if (await stat(join(directory, '.git')).then(() => true, () => false)) return directory;
    if (directory === dirname(directory)) return null;
  }
}

/**
 * One file against its base (`ref`), or as a commit changed it (`commit`, against its first
 * parent). Not in a repository: both null. A file over 1 MiB is a 400.
 */
export async function gitDiff(file: string, options: { ref?: string; commit?: string } = {}): Promise<GitDiff> {
  const info = await stat(file).catch(() => null);
  if (!info && options.commit === undefined) throw new HttpError(400, `File does not exist: ${file}`);
  if (info && info.size > MAX_DIFF_FILE_BYTES) throw new HttpError(400, `File too large for git diff: ${info.size} bytes (at most ${MAX_DIFF_FILE_BYTES})`);
  const repo = await closestRepository(file);
  if (!repo || !(await isRepository(repo))) return { modified: null, original: null };
  const realRepo = await realpath(repo);
  const path = relative(realRepo, file);
  if (options.commit !== undefined) {
    return { original: (await attempt(realRepo, ['show', `${options.commit}^:${path}`])) ?? '', modified: (await attempt(realRepo, ['show', `${options.commit}:${path}`])) ?? '' };
  }
  const base = await baseRef(realRepo, options.ref);
  const original = (await attempt(realRepo, ['show', `${base}:${path}`])) ?? '';
  const modified = await readFile(file, 'utf8').then((text) => text.split(/\r?\n/).join('\n').replace(/\n$/, ''), () => '');
  return { modified, original };
}
