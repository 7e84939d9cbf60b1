import { type FileHandle, open } from 'node:fs/promises';
import { FILE_HANDLES_KEPT } from './file-handle-budget.js';

/** A kept handle unused for this long may be closed for another file when the set is full. */
const STALE_MS = 1_000;

interface Entry {
  handle: Promise<FileHandle>;
  /** Writes in progress: an entry in use is never closed under them. */
  users: number;
  lastUsed: number;
}

/**
 * File handles of one kind (`a`: the event logs' appends, `r+`: state files rewritten in place)
 * shared by the conversations of one thread, at most `limit` kept open, so the number of open
 * descriptors does not grow with the number of open conversations. When the set is full, a
 * handle idle for a second makes room; otherwise the write opens a handle of its own and closes
 * it. Thousands of conversations taking turns (each writes every few tens of milliseconds) would
 * evict one another on every write under a plain LRU; this way `limit` of them keep theirs.
 */
export class SharedFileHandles {
  /** In use order: the first entry is the least recently used. */
  readonly #entries = new Map<string, Entry>();

  constructor(
    readonly flags: 'a' | 'r+',
    readonly limit = FILE_HANDLES_KEPT,
  ) {}

  /**
   * Runs `write` with a handle of `file` (a kept one, or one opened for this write). When the
   * process is out of descriptors, the idle kept handles are closed and the write tried once more.
   */
  async use<T>(file: string, write: (handle: FileHandle) => Promise<T>): Promise<T> {
    try {
      return await this.#use(file, write);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EMFILE' && code !== 'ENFILE') throw error;
      await this.#closeIdle();
      return this.#useOnce(file, write);
    }
  }

  async #use<T>(file: string, write: (handle: FileHandle) => Promise<T>): Promise<T> {
    let entry = this.#entries.get(file);
    if (entry) this.#entries.delete(file);
    else if (this.#entries.size >= this.limit && !this.#closeStale()) return this.#useOnce(file, write);
    else entry = { handle: open(file, this.flags), users: 0, lastUsed: 0 };
    this.#entries.set(file, entry);
    entry.users++;
    entry.lastUsed = performance.now();
    try {
      return await write(await entry.handle);
    } catch (error) {
      // A handle that failed (the file's directory was removed, the disk failed) is not kept.
      if (this.#entries.get(file) === entry) this.#entries.delete(file);
      throw error;
    } finally {
      entry.users--;
      if (this.#entries.get(file) !== entry && entry.users === 0) void closeQuietly(entry.handle);
    }
  }

  /** Closes the handle of `file`, if one is kept (its conversation is closed). */
  async release(file: string): Promise<void> {
    const entry = this.#entries.get(file);
    if (!entry) return;
    this.#entries.delete(file);
    if (entry.users === 0) await closeQuietly(entry.handle);
  }

  /** Open handles now (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  async #useOnce<T>(file: string, write: (handle: FileHandle) => Promise<T>): Promise<T> {
    const handle = open(file, this.flags);
    try {
      return await write(await handle);
    } finally {
      await closeQuietly(handle);
    }
  }

  async #closeIdle(): Promise<void> {
    const idle = [...this.#entries].filter(([, entry]) => entry.users === 0);
    for (const [file] of idle) this.#entries.delete(file);
    await Promise.all(idle.map(([, entry]) => closeQuietly(entry.handle)));
  }

  /** Closes the least recently used handle if it is idle and stale; whether one was closed. */
  #closeStale(): boolean {
    const [file, oldest] = this.#entries.entries().next().value ?? [];
    if (file === undefined || !oldest || oldest.users > 0 || performance.now() - oldest.lastUsed < STALE_MS) return false;
    this.#entries.delete(file);
    void closeQuietly(oldest.handle);
    return true;
  }
}

async function closeQuietly(handle: Promise<FileHandle>): Promise<void> {
  try {
    await (await handle).close();
  } catch {
    // A handle that never opened, or is already closed, has nothing to release.
  }
}

/** The append handles of this thread's event logs (each worker thread has its own). */
export const appendHandles = new SharedFileHandles('a');

/** The handles of this thread's state files rewritten in place. */
export const rewriteHandles = new SharedFileHandles('r+');
