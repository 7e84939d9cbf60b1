import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { HttpError } from './http-error.js';

const within = (path: string, root: string): boolean => path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/**
 * Where the file and git routes may reach: inside a workspace the server knows (a conversation's
 * working directory, or a root it was started with). Unlike OpenHands, which takes any absolute
 * path, a path must be absolute (400), have no `..` segment (400, traversal), and lie, after
 * every symbolic link is followed, inside one of those workspaces (403).
 */
export class WorkspaceRoots {
  readonly #configured: readonly string[];
  readonly #conversationWorkspaces: () => Promise<readonly string[]>;

  constructor(configured: readonly string[], conversationWorkspaces: () => Promise<readonly string[]>) {
    this.#configured = configured.map((root) => resolve(root));
    this.#conversationWorkspaces = conversationWorkspaces;
  }

  /** The first configured root, else the server's working directory: where a command without a cwd runs. */
  get defaultDirectory(): string {
    return this.#configured[0] ?? process.cwd();
  }

  /**
   * The real location of `path` once it is allowed. `existing`: it must exist (downloads, git);
   * otherwise its nearest existing ancestor is checked (uploads create the rest).
   */
  async resolve(path: string, options: { existing: boolean }): Promise<string> {
    if (path.includes('\0')) throw new HttpError(400, 'Path contains a NUL byte');
    if (!isAbsolute(path)) throw new HttpError(400, `Path must be absolute: ${JSON.stringify(path)}`);
    if (path.split('/').includes('..')) {
      throw new HttpError(400, `Path ${JSON.stringify(path)} has a ".." segment: give the path itself (no traversal).`);
    }
    const real = await realLocation(path, options.existing);
    const roots = await this.#realRoots();
    if (!roots.some((root) => within(real, root))) {
      throw new HttpError(403, `Path ${JSON.stringify(path)} is outside the workspaces this server knows (its conversations' working directories and the roots it was started with, e.g. troupe serve --workspace-root DIR).`);
    }
    return real;
  }

  async #realRoots(): Promise<string[]> {
    const roots = [...this.#configured, ...(await this.#conversationWorkspaces())];
    const real = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
    return real.filter((root): root is string => root !== null);
  }
}

/** A filesystem error on a client's path as the 4xx it is (a name too long, a file where a directory should be), or undefined. */
export function pathErrorStatus(error: unknown): HttpError | undefined {
  const code = errorCode(error);
  const status = code === 'EACCES' || code === 'EPERM' ? 403 : code === 'ENOENT' ? 404 : code && ['ENAMETOOLONG', 'ENOTDIR', 'EISDIR', 'ELOOP', 'EINVAL', 'EEXIST'].includes(code) ? 400 : undefined;
  return status === undefined ? undefined : new HttpError(status, `The path cannot be used (${code})`);
}

/** The path with every symbolic link followed; a missing tail is kept as written (when allowed). */
async function realLocation(path: string, existing: boolean): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT' || existing || current === dirname(current)) {
        if (code === 'ENOENT') throw new HttpError(404, `File not found: ${path}`);
        throw pathErrorStatus(error) ?? error;
      }
      missing.unshift(basename(current));
      current = dirname(current);
    }
  }
}
