import { mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { WorkspacePathError } from './errors.js';

export const WORKSPACE_PATH_LIMITS = { maxLength: 4096, maxDepth: 64 } as const;

/** Kernel pseudo-filesystems: no workspace belongs there (a recursive mkdir under /proc even loops forever). */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev'] as const;

const within = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

/**
 * What is wrong with a workspace path from its text alone, or undefined. Pure: the path is checked
 * as given (NUL bytes, length, absolute, depth, system directories), never looked up.
 */
export function workspacePathProblem(path: string): string | undefined {
  if (path.length === 0) return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.length > WORKSPACE_PATH_LIMITS.maxLength) return `is longer than ${WORKSPACE_PATH_LIMITS.maxLength} characters`;
  if (!isAbsolute(path)) return 'is not an absolute path';
  if (path.split('/').filter(Boolean).length > WORKSPACE_PATH_LIMITS.maxDepth) return `is more than ${WORKSPACE_PATH_LIMITS.maxDepth} directories deep`;
  const root = SYSTEM_ROOTS.find((candidate) => within(path, candidate));
  return root ? `is under ${root}, a kernel pseudo-filesystem` : undefined;
}

interface InspectedWorkspace {
  /** The path, resolved against the base (symbolic links kept as written). */
  absolute: string;
  /** Its nearest existing ancestor (itself when it exists), a directory. */
  existing: string;
  /** The names to create below `existing`, outermost first. */
  missing: string[];
}

const failure = (path: string, problem: string, cause?: unknown): WorkspacePathError =>
  new WorkspacePathError(`Working directory ${JSON.stringify(path)} ${problem}: use a directory (or a path one can be created at) outside ${SYSTEM_ROOTS.join(', ')}.`, cause === undefined ? undefined : { cause });

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

async function inspect(path: string, base: string): Promise<InspectedWorkspace> {
  const textProblem = workspacePathProblem(path.length === 0 || path.includes('\0') ? path : resolve(base, path));
  if (textProblem) throw failure(path, textProblem);
  const absolute = resolve(base, path);
  let existing = absolute;
  const missing: string[] = [];
  // Bounded by the depth checked above: each step goes one directory up.
  for (;;) {
    try {
      const info = await stat(existing);
      if (!info.isDirectory()) throw failure(path, missing.length === 0 ? 'is an existing file, not a directory' : `has a file where a directory should be (${existing})`);
      break;
    } catch (error) {
      if (error instanceof WorkspacePathError) throw error;
      const code = errorCode(error);
      if ((code === 'ENOENT' || code === 'ENOTDIR') && existing !== dirname(existing)) {
        missing.unshift(basename(existing));
        existing = dirname(existing);
        continue;
      }
      throw failure(path, `cannot be inspected (${code ?? String(error)})`, error);
    }
  }
  // Symbolic links may lead anywhere: the real location must pass the same checks.
  const real = join(await realpath(existing), ...missing);
  const realProblem = workspacePathProblem(real);
  if (realProblem) throw failure(path, `leads to ${real}, which ${realProblem}`);
  return { absolute, existing, missing };
}

/**
 * The absolute workspace path after every check (text, then the filesystem: the nearest existing
 * ancestor must be a directory whose real location is allowed). Reads only; throws
 * `WorkspacePathError` naming the problem.
 */
export async function resolveWorkspacePath(path: string, base: string = process.cwd()): Promise<string> {
  return (await inspect(path, base)).absolute;
}

/**
 * Checks the workspace (as `resolveWorkspacePath`) and creates its missing directories one level at
 * a time, so a directory that cannot hold children fails at once instead of being retried.
 */
export async function prepareWorkspace(path: string, base: string = process.cwd()): Promise<string> {
  const { absolute, existing, missing } = await inspect(path, base);
  let dir = existing;
  for (const name of missing) {
    dir = join(dir, name);
    try {
      await mkdir(dir);
    } catch (error) {
      const isDirectory = errorCode(error) === 'EEXIST' && (await stat(dir).then((info) => info.isDirectory(), () => false));
      if (!isDirectory) throw failure(path, `cannot be created (${errorCode(error) ?? String(error)} at ${dir})`, error);
    }
  }
  return absolute;
}
