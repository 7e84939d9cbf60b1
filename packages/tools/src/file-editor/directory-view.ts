import { readdir, stat } from 'node:fs/promises';
import { truncateMiddle } from '../truncate.js';
import { MAX_RESPONSE_LEN_CHAR } from './cat-n.js';

export const DIRECTORY_CONTENT_TRUNCATED_NOTICE =
  '<response clipped><NOTE>Due to the max output limit, only part of this directory has been shown to you. You should use `ls -la` instead to view large directories incrementally.</NOTE>';

/** One entry of a listing: its path and whether it is a directory (symlinks followed). */
export interface ListedEntry {
  readonly path: string;
  readonly isDirectory: boolean;
}

export interface DirectoryListing {
  /** The root first, then entries up to 2 levels deep in pre-order, names sorted, hidden ones left out. */
  readonly entries: readonly ListedEntry[];
  /** Hidden entries directly inside the root. */
  readonly hiddenCount: number;
}

/** Lists `root` two levels deep. Fails when the root cannot be read; unreadable subdirectories are just not opened. */
export async function listDirectory(root: string): Promise<DirectoryListing> {
  const children = await readdir(root);
  const entries: ListedEntry[] = [{ path: root, isDirectory: true }];
  const hiddenCount = children.filter(isHidden).length;
  for (const child of await describe(root, children)) {
    entries.push(child);
    if (!child.isDirectory) continue;
    const grandchildren = await readdir(child.path).catch(() => []);
    entries.push(...(await describe(child.path, grandchildren)));
  }
  return { entries, hiddenCount };
}

async function describe(directory: string, names: readonly string[]): Promise<ListedEntry[]> {
  const visible = names.filter((name) => !isHidden(name)).sort(compareCodeUnits);
  const base = directory === '/' ? '' : directory;
  return Promise.all(
    visible.map(async (name) => {
      const path = `${base}/${name}`;
      const isDirectory = await stat(path).then((info) => info.isDirectory(), () => false);
      return { path, isDirectory };
    }),
  );
}

function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The text the model sees for a listing of `root`. */
export function renderDirectoryListing(root: string, listing: DirectoryListing): string {
  const lines = listing.entries.map((entry) => (entry.isDirectory ? `${entry.path}/` : entry.path)).join('\n');
  const shown = truncateMiddle(lines, MAX_RESPONSE_LEN_CHAR, DIRECTORY_CONTENT_TRUNCATED_NOTICE);
  let text = `Here's the files and directories up to 2 levels deep in ${root}, excluding hidden items:\n${shown}`;
  if (listing.hiddenCount > 0) {
    text += `\n\n${listing.hiddenCount} hidden files/directories in this directory are excluded. You can use 'ls -la ${root}' to see them.`;
  }
  return text;
}
