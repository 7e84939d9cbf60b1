import { type FileHandle, open } from 'node:fs/promises';

/** How many append handles one thread keeps open; the least recently used is closed beyond it. */
export const APPEND_HANDLES_KEPT = 32;

interface Entry {
  handle: Promise<FileHandle>;
  /** Writes in progress: an entry in use is never closed under them. */
  users: number;
}

/**
 * Append-mode file handles shared by the event logs of one thread, at most `limit` open at once
 * (least recently used closed first). The busiest logs keep their handle, so a flush costs one
 * write; the number of open descriptors no longer grows with the number of open conversations.
 */
export class AppendHandles {
  /** In use order: the first entry is the least recently used. */
  readonly #entries = new Map<string, Entry>();

  constructor(readonly limit = APPEND_HANDLES_KEPT) {}

  /** Runs `write` with an append handle of `file` (opened if none is kept). */
  async use<T>(file: string, write: (handle: FileHandle) => Promise<T>): Promise<T> {
    let entry = this.#entries.get(file);
    if (entry) this.#entries.delete(file);
    else entry = { handle: open(file, 'a'), users: 0 };
    this.#entries.set(file, entry);
    entry.users++;
    try {
      return await write(await entry.handle);
    } catch (error) {
      // A handle that failed (the file's directory was removed, the disk failed) is not kept.
      if (this.#entries.get(file) === entry) this.#entries.delete(file);
      throw error;
    } finally {
      entry.users--;
      if (this.#entries.get(file) !== entry && entry.users === 0) void closeQuietly(entry);
      this.#trim();
    }
  }

  /** Closes the handle of `file`, if one is kept (its log is closed). */
  async release(file: string): Promise<void> {
    const entry = this.#entries.get(file);
    if (!entry) return;
    this.#entries.delete(file);
    if (entry.users === 0) await closeQuietly(entry);
  }

  /** Open handles now (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  #trim(): void {
    if (this.#entries.size <= this.limit) return;
    for (const [file, entry] of this.#entries) {
      if (this.#entries.size <= this.limit) break;
      if (entry.users > 0) continue;
      this.#entries.delete(file);
      void closeQuietly(entry);
    }
  }
}

async function closeQuietly(entry: Entry): Promise<void> {
  try {
    await (await entry.handle).close();
  } catch {
    // A handle that never opened, or is already closed, has nothing to release.
  }
}

/** The handles of this thread's event logs (each worker thread has its own). */
export const appendHandles = new AppendHandles();
