import { access, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { ConfigError, defineTool, type ToolDefinition, type ToolEnvironment, type ToolProvider, type ToolWire, writeFileAtomic } from '@troupe/core';
import { errorOutput } from '../error-output.js';
import { FileEditor, normalizeAbsolutePath } from './editor.js';
import { FileEditorParamsSchema, fileEditorDescription, runEditorCommand } from './file-editor-tool.js';

export const PLAN_FILE_NAME = 'PLAN.md';
/** Where the plan goes by default, under the workspace: agents' working files, apart from the user's. */
export const PLAN_DIRECTORY = '.agents_tmp';
/** The sections a new plan starts with (OpenHands' planning agent fills in these). */
export const PLAN_SECTIONS = ['OBJECTIVE', 'CONTEXT SUMMARY', 'APPROACH OVERVIEW', 'IMPLEMENTATION STEPS', 'TESTING AND VALIDATION'] as const;

/** `params` of the tool; `plan_path` keeps OpenHands' name, so that its clients' agent specs work as they are. */
export const PlanningFileEditorOptionsSchema = z.strictObject({
  /** Absolute path of the plan file; by default `<workspace>/PLAN.md` if that exists, else `<workspace>/.agents_tmp/PLAN.md`. */
  plan_path: z.string().min(1).optional(),
});
export type PlanningFileEditorOptions = z.input<typeof PlanningFileEditorOptionsSchema>;

function description(workspace: string, planPath: string): string {
  return `${fileEditorDescription(workspace)}

RESTRICTION: this editor is for planning.
* \`view\` works on any file or directory.
* \`create\`, \`str_replace\`, \`insert\` and \`undo_edit\` work only on the plan file; on any other path they are refused.
* The plan file already exists, with its section headings: fill them in.

Your plan file: ${planPath}
Other agents of the workflow read the plan there.`;
}

const PLANNING_FILE_EDITOR_WIRE: ToolWire = {
  toolKind: 'PlanningFileEditorTool',
  actionKind: 'PlanningFileEditorAction',
  observationKind: 'PlanningFileEditorObservation',
  annotations: { title: 'planning_file_editor', readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
};

/** The `planning_file_editor` tool: the file editor, with writes allowed to the plan file only. */
export const planningFileEditorTool: ToolProvider = {
  name: 'planning_file_editor',
  inline: true,
  paramsSchema: PlanningFileEditorOptionsSchema,
  create: async (environment, params) => createPlanningFileEditorTool(environment, PlanningFileEditorOptionsSchema.parse(params)),
};

export async function createPlanningFileEditorTool(
  environment: ToolEnvironment,
  options: z.output<typeof PlanningFileEditorOptionsSchema>,
): Promise<ToolDefinition<typeof FileEditorParamsSchema>> {
  const planPath = await planFile(environment.workspace, options.plan_path);
  const editor = new FileEditor(environment.workspace);
  return defineTool({
    name: 'planning_file_editor',
    description: description(environment.workspace, planPath),
    parameters: FileEditorParamsSchema,
    wire: PLANNING_FILE_EDITOR_WIRE,
    execute: (args) => {
      // A relative path is left to the editor, which refuses it with a hint.
      if (args.command !== 'view' && isAbsolute(args.path) && normalizeAbsolutePath(args.path) !== planPath) {
        return errorOutput(
          `Operation '${args.command}' is not allowed on file '${args.path}'. Only the plan file can be edited: ${planPath}`,
          { command: args.command, path: args.path },
        );
      }
      return runEditorCommand(editor, args);
    },
  });
}

/** The plan file's path, created with the section headings when it does not exist yet. */
async function planFile(workspace: string, configured: string | undefined): Promise<string> {
  if (configured !== undefined && !isAbsolute(configured)) {
    throw new ConfigError(`plan_path must be an absolute path, got: ${configured}`);
  }
  const legacy = join(workspace, PLAN_FILE_NAME);
  const planPath = normalizeAbsolutePath(configured ?? ((await exists(legacy)) ? legacy : join(workspace, PLAN_DIRECTORY, PLAN_FILE_NAME)));
  if (!(await exists(planPath))) {
    await mkdir(dirname(planPath), { recursive: true });
    await writeFileAtomic(planPath, PLAN_SECTIONS.map((title, index) => `# ${index + 1}. ${title}\n`).join('\n'));
  }
  return planPath;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
