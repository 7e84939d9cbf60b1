import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, resolve } from 'node:path';
import picomatch from 'picomatch';

/** `~` and `~/x` name the home directory, as in a shell. */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  return path.startsWith('~/') ? resolve(homedir(), path.slice(2)) : path;
}

/** A directory given by the model: absolute, `~`, or relative to the workspace. */
export function resolveSearchDirectory(workspace: string, path: string): string {
  return resolve(workspace, expandHome(path));
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Splits an absolute pattern (`/repo/src/**\/*.ts`) into the directory to search and the pattern
 * relative to it; a relative pattern has no directory of its own.
 */
export function splitAbsolutePattern(pattern: string): { directory?: string; pattern: string } {
  const expanded = expandHome(pattern);
  if (!isAbsolute(expanded)) return { pattern };
  const scanned = picomatch.scan(expanded);
  if (!scanned.isGlob) return { directory: resolve(expanded, '..'), pattern: basename(expanded) };
  return { directory: resolve(scanned.base || '/'), pattern: scanned.glob };
}

/** Hidden entries are searched only when the pattern names one (`.github/**`, `.env*`). */
export function mentionsHiddenSegment(pattern: string): boolean {
  return /(^|\/)\.[^./]/.test(pattern);
}

/**
 * A matcher on paths relative to the search directory, with ripgrep's `-g` reading: a pattern
 * without `/` matches a file's name at any depth, one with `/` (or `anchored`: the rest of an
 * absolute pattern) matches from the search directory. `*` and `**` never match a hidden name
 * unless the pattern spells its dot.
 */
export function pathMatcher(pattern: string, anchored = false): (relativePath: string) => boolean {
  const glob = pattern.startsWith('./') ? pattern.slice(2) : pattern;
  const matches = picomatch(glob, { dot: false });
  return anchored || glob.includes('/') ? matches : (relativePath) => matches(basename(relativePath));
}
