import { z } from 'zod';
import { defineTool, type ToolDefinition, type ToolEnvironment, type ToolOutput, type ToolProvider, type ToolWire, NoToolParamsSchema } from '@troupe/core';
import { errorOutput } from '../error-output.js';
import { MAX_RESPONSE_LEN_CHAR } from '../file-editor/cat-n.js';
import { Mutex } from '../mutex.js';
import { truncateMiddle } from '../truncate.js';
import { commitPatch } from './patch-commit.js';
import { PatchError } from './patch-error.js';
import { BEGIN_PATCH, END_PATCH, parsePatch } from './patch-parser.js';
import { planPatch, type PatchPlan } from './patch-plan.js';

export const ApplyPatchParamsSchema = z.object({
  patch: z.string().describe(`The patch, from '${BEGIN_PATCH}' to '${END_PATCH}', in the format described above.`),
});
export type ApplyPatchParams = z.output<typeof ApplyPatchParamsSchema>;

function description(workspace: string): string {
  return `Adds, deletes, moves and edits files in the workspace with one patch, in the V4A format. The patch applies whole or not at all.

${BEGIN_PATCH}
*** Add File: path/of/new_file.py
+every line of the new file, after a "+"
*** Delete File: path/of/old_file.py
*** Update File: path/of/file.py
*** Move to: path/of/renamed_file.py   (optional: also renames the file)
@@ class Greeter   (optional: a line the hunk comes after, to tell apart places that look alike)
 a context line, unchanged (leading space)
-a line to remove
+a line to add
 another context line
*** End of File   (optional: the hunk ends at the end of the file)
${END_PATCH}

* Paths are relative to the workspace (absolute paths inside it work too); no path may leave it.
* Give about 3 lines of context before and after each change, and several hunks ("@@" sections) in the order of the file.
* Context must match the file; whitespace differences at line ends, then at both ends, are tolerated. A hunk whose context matches no place, or more than one, is refused with the reason.

Your current working directory is: ${workspace}`;
}

const APPLY_PATCH_WIRE: ToolWire = {
  toolKind: 'ApplyPatchTool',
  actionKind: 'ApplyPatchAction',
  observationKind: 'ApplyPatchObservation',
  annotations: { title: 'apply_patch', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
};

/** The `apply_patch` tool: V4A patches, all-or-nothing; one patch at a time per conversation. */
export const applyPatchTool: ToolProvider = {
  name: 'apply_patch',
  inline: true,
  paramsSchema: NoToolParamsSchema,
  create: (environment) => createApplyPatchTool(environment),
};

export function createApplyPatchTool(environment: ToolEnvironment): ToolDefinition<typeof ApplyPatchParamsSchema> {
  const mutex = new Mutex();
  return defineTool({
    name: 'apply_patch',
    description: description(environment.workspace),
    parameters: ApplyPatchParamsSchema,
    wire: APPLY_PATCH_WIRE,
    execute: (args, context) => mutex.run(() => applyPatch(args.patch, context.workspace)),
  });
}

async function applyPatch(patch: string, workspace: string): Promise<ToolOutput> {
  let plan: PatchPlan;
  try {
    plan = await planPatch(parsePatch(patch), workspace);
    await commitPatch(plan.changes);
  } catch (error) {
    if (error instanceof PatchError) return errorOutput(truncateMiddle(error.message, MAX_RESPONSE_LEN_CHAR));
    throw error;
  }
  const message = truncateMiddle(summary(plan), MAX_RESPONSE_LEN_CHAR);
  const changes = Object.fromEntries(
    plan.changes.map((change) => [
      change.path,
      { type: change.type, old_content: change.oldContent, new_content: change.newContent, move_path: change.movePath ?? null },
    ]),
  );
  return { content: message, data: { message, fuzz: plan.fuzz, commit: { changes } } };
}

const LETTERS = { add: 'A', update: 'M', delete: 'D' } as const;

function summary(plan: PatchPlan): string {
  const files = plan.changes.map(
    (change) => `${LETTERS[change.type]} ${change.path}${change.movePath === undefined ? '' : ` (moved to ${change.movePath})`}`,
  );
  const fuzzNote =
    plan.fuzz > 0
      ? `\nSome hunks matched the file only loosely (whitespace ignored, or a '*** End of File' hunk found before the end): check the changed lines.`
      : '';
  return `Done! Updated the following files:\n${files.join('\n')}${fuzzNote}`;
}
