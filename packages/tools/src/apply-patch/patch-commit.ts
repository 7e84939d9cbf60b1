import { lstat, mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage, writeFileAtomic } from '@troupe/core';
import { writeTextFile } from '../file-editor/text-file.js';
import { PatchError } from './patch-error.js';
import type { PlannedChange } from './patch-plan.js';

/** A file's bytes before the patch, or `null` when it did not exist. */
interface Backup {
  readonly path: string;
  readonly bytes: Buffer | null;
}

/**
 * Writes the planned changes (each file atomically). If one fails, the files already changed are put
 * back as they were and `PatchError` says so: the patch applies whole or not at all.
 */
export async function commitPatch(changes: readonly PlannedChange[]): Promise<void> {
  const backups = await Promise.all(changes.flatMap(touchedPaths).map(backup));
  // Backups of the files of the changes begun so far, the one that failed included (it may have got half way).
  let begun = 0;
  try {
    for (const change of changes) {
      begun += touchedPaths(change).length;
      await applyChange(change);
    }
  } catch (error) {
    const unrestored = await restore(backups.slice(0, begun).reverse());
    const outcome =
      unrestored.length === 0
        ? 'No file was changed.'
        : `Putting back the files already changed failed for: ${unrestored.join(', ')}; check them.`;
    throw new PatchError(`Could not apply the patch: ${errorMessage(error)}. ${outcome}`);
  }
}

function touchedPaths(change: PlannedChange): string[] {
  return change.absoluteMovePath === undefined ? [change.absolutePath] : [change.absolutePath, change.absoluteMovePath];
}

async function backup(path: string): Promise<Backup> {
  return { path, bytes: await readFile(path).catch(() => null) };
}

async function applyChange(change: PlannedChange): Promise<void> {
  if (change.type === 'delete') {
    await unlink(change.absolutePath);
    return;
  }
  const target = change.absoluteMovePath ?? change.absolutePath;
  await mkdir(dirname(target), { recursive: true });
  await writeTextFile(target, change.newContent ?? '', change.original);
  if (change.absoluteMovePath !== undefined) await unlink(change.absolutePath);
}

/** Puts the files back; returns those it could not. */
async function restore(backups: readonly Backup[]): Promise<string[]> {
  const failed: string[] = [];
  for (const { path, bytes } of backups) {
    try {
      if (bytes !== null) await writeFileAtomic(path, bytes);
      else if (await lstat(path).then(() => true, () => false)) await unlink(path);
    } catch {
      failed.push(path);
    }
  }
  return failed;
}
