import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import { rewriteHandles, type SharedFileHandles } from './shared-file-handles.js';
import { STATE_FILE, toStateFile } from './state-file.js';

/**
 * Writes a conversation's `state.json`. By default each write replaces the file (a temporary file
 * and a rename), so a reader in another process never sees half of it. In a directory only this
 * process reads (`inPlace`: the supervisor's recovery directory, written without fsync), a write
 * that need not reach the disk rewrites the file in place instead: one write call on a kept
 * handle rather than six file operations. It stays valid JSON across the death of a thread or of
 * the process: the one write is done by the kernel whole, and a shorter text is padded with
 * spaces to the file's length, so no tail of an older state is left behind.
 */
export class StateFileWriter {
  readonly file: string;
  /** The file's length in bytes as this writer left it; null until it wrote the file whole. */
  #length: number | null = null;

  constructor(
    dir: string,
    readonly inPlace: boolean,
    readonly handles: SharedFileHandles = rewriteHandles,
  ) {
    this.file = join(dir, STATE_FILE);
  }

  async write(snapshot: ConversationSnapshot, sync: boolean): Promise<void> {
    const text = JSON.stringify(toStateFile(snapshot));
    if (!this.inPlace || sync || this.#length === null) {
      // A kept handle would point at the file the rename replaces.
      if (this.inPlace) await this.handles.release(this.file);
      await writeFileAtomic(this.file, text, { sync });
      this.#length = Buffer.byteLength(text);
      return;
    }
    const bytes = Buffer.from(text + ' '.repeat(Math.max(0, this.#length - Buffer.byteLength(text))));
    // No fsync here, so the write only reaches the page cache: done at once, cheaper than a trip through the thread pool.
    await this.handles.use(this.file, async (handle) => void writeSync(handle.fd, bytes, 0, bytes.length, 0));
    this.#length = Math.max(this.#length, bytes.length);
  }

  close(): Promise<void> {
    return this.handles.release(this.file);
  }
}
