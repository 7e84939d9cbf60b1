import { stat } from 'node:fs/promises';

/** How many files are stat'ed or read at once: enough to keep the disk busy, few enough to share the thread. */
export const IO_BATCH = 16;

export interface DatedFile {
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** The files, most recently modified first (ties by path); files gone since they were listed are dropped. */
export async function newestFirst(paths: readonly string[]): Promise<DatedFile[]> {
  const dated: DatedFile[] = [];
  for (let start = 0; start < paths.length; start += IO_BATCH) {
    const batch = await Promise.all(
      paths.slice(start, start + IO_BATCH).map(async (path) => {
        const info = await stat(path).catch(() => undefined);
        return info ? { path, mtimeMs: info.mtimeMs, size: info.size } : undefined;
      }),
    );
    for (const file of batch) if (file) dated.push(file);
  }
  return dated.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
