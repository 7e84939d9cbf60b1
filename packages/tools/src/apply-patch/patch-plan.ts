import { stat } from 'node:fs/promises';
import { EditorError } from '../file-editor/editor-error.js';
import { readTextFile, type TextFile } from '../file-editor/text-file.js';
import { pathInWorkspace } from '../workspace-paths.js';
import { applyHunks } from './apply-hunks.js';
import { PatchError } from './patch-error.js';
import type { PatchOperation } from './patch-parser.js';

/** One file's change, fully worked out before anything is written. */
export interface PlannedChange {
  readonly type: 'add' | 'update' | 'delete';
  /** The path as the patch gives it. */
  readonly path: string;
  readonly absolutePath: string;
  readonly movePath: string | undefined;
  readonly absoluteMovePath: string | undefined;
  readonly oldContent: string | null;
  readonly newContent: string | null;
  /** The file as read, so that it is written back in its encoding and line endings. */
  readonly original: TextFile | undefined;
}

export interface PatchPlan {
  readonly changes: readonly PlannedChange[];
  readonly fuzz: number;
}

/**
 * Checks every operation against the workspace and works out every new file content, so that a
 * patch with one bad hunk changes nothing. Throws `PatchError` naming the file at fault.
 */
export async function planPatch(operations: readonly PatchOperation[], workspace: string): Promise<PatchPlan> {
  const touched = new Set<string>();
  const claim = async (path: string): Promise<string> => {
    const absolute = await pathInWorkspace(workspace, path);
    if (absolute === undefined) {
      throw new PatchError(`Absolute or escaping paths are not allowed outside the workspace: ${path} is not inside ${workspace}. Give paths relative to it.`);
    }
    if (touched.has(absolute)) throw new PatchError(`The patch changes ${absolute} twice: each file may appear only once.`);
    touched.add(absolute);
    return absolute;
  };

  const changes: PlannedChange[] = [];
  let fuzz = 0;
  for (const operation of operations) {
    const absolutePath = await claim(operation.path);
    const kind = await pathKind(absolutePath);
    if (kind === 'directory') throw new PatchError(`${operationName(operation)} Error: ${operation.path} is a directory.`);
    if (operation.kind !== 'add' && kind === 'missing') throw new PatchError(`${operationName(operation)} Error: Missing File: ${operation.path}`);
    const base = { path: operation.path, absolutePath, movePath: undefined, absoluteMovePath: undefined, original: undefined };

    if (operation.kind === 'add') {
      const newContent = operation.lines.length === 0 ? '' : `${operation.lines.join('\n')}\n`;
      changes.push({ ...base, type: 'add', oldContent: null, newContent });
    } else if (operation.kind === 'delete') {
      // A binary file can be deleted too; its content is then not shown.
      const oldContent = await readTextFile(absolutePath).then((file) => file.text, () => null);
      changes.push({ ...base, type: 'delete', oldContent, newContent: null });
    } else {
      const original = await readForPatch(absolutePath, operation.path);
      const updated = applyHunks(original.text, operation.hunks, operation.path);
      fuzz += updated.fuzz;
      const absoluteMovePath = operation.moveTo === undefined ? undefined : await claim(operation.moveTo);
      if (absoluteMovePath !== undefined && (await pathKind(absoluteMovePath)) === 'directory') {
        throw new PatchError(`Update File Error: cannot move ${operation.path} to ${operation.moveTo}, which is a directory.`);
      }
      changes.push({
        ...base,
        type: 'update',
        movePath: operation.moveTo,
        absoluteMovePath,
        oldContent: original.text,
        newContent: updated.text,
        original,
      });
    }
  }
  return { changes, fuzz };
}

function operationName(operation: PatchOperation): string {
  return { add: 'Add File', delete: 'Delete File', update: 'Update File' }[operation.kind];
}

async function pathKind(path: string): Promise<'file' | 'directory' | 'missing'> {
  const info = await stat(path).catch(() => undefined);
  return info === undefined ? 'missing' : info.isDirectory() ? 'directory' : 'file';
}

async function readForPatch(absolutePath: string, path: string): Promise<TextFile> {
  try {
    return await readTextFile(absolutePath);
  } catch (error) {
    if (error instanceof EditorError) throw new PatchError(`Update File Error: ${path}: ${error.message}`);
    throw error;
  }
}
