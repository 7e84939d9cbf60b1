import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Roots still on disk, removed when the process exits (a supervisor that was never closed). */
const liveRoots = new Set<string>();
let exitHookInstalled = false;

function removeLiveRoots(): void {
  for (const root of liveRoots) rmSync(root, { recursive: true, force: true });
  liveRoots.clear();
}

/**
 * A supervisor's own directories for conversations that name no `persistenceDir`: each is kept
 * there (durability `none`) so that it survives the death of its worker thread and is restored on a
 * fresh one. Only a thread's death: nothing here outlives the supervisor. One directory per handle,
 * so a new conversation never resumes what an earlier one with the same id left.
 */
export class RecoveryDirs {
  #root: string | null = null;
  readonly #dirs = new Map<object, string>();

  constructor(readonly onRemoveFailed: (dir: string, error: unknown) => void) {}

  /** The directory of one handle's conversation (the root is made on first use). */
  allocate(owner: object): string {
    if (!this.#root) {
      this.#root = mkdtempSync(join(tmpdir(), 'troupe-recovery-'));
      liveRoots.add(this.#root);
      if (!exitHookInstalled) {
        exitHookInstalled = true;
        process.once('exit', removeLiveRoots);
      }
    }
    const dir = join(this.#root, randomUUID());
    this.#dirs.set(owner, dir);
    return dir;
  }

  /** The handle closed: its directory goes. */
  remove(owner: object): void {
    const dir = this.#dirs.get(owner);
    if (!dir) return;
    this.#dirs.delete(owner);
    void rm(dir, { recursive: true, force: true }).catch((error: unknown) => this.onRemoveFailed(dir, error));
  }

  /** The supervisor closed: everything goes. */
  async removeAll(): Promise<void> {
    const root = this.#root;
    if (!root) return;
    this.#root = null;
    this.#dirs.clear();
    liveRoots.delete(root);
    await rm(root, { recursive: true, force: true });
  }
}
