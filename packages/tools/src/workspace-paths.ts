import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** Whether `inner` is `outer` or lies below it (by name; links are not followed). */
export function isWithin(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

/**
 * `path` (relative to the workspace, or absolute) as an absolute path, or undefined when it lies
 * outside the workspace, by name or through a symbolic link on the way.
 */
export async function pathInWorkspace(workspace: string, path: string): Promise<string | undefined> {
  const absolute = resolve(workspace, path);
  if (!isWithin(workspace, absolute)) return undefined;
  const [realWorkspace, realTarget] = await Promise.all([realpath(workspace), realpathOfNearestExisting(absolute)]);
  return isWithin(realWorkspace, realTarget) ? absolute : undefined;
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended. */
async function realpathOfNearestExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(await realpathOfNearestExisting(parent), relative(parent, path));
  }
}
