import { z } from 'zod';
import { defineTool, FILE_EDITOR_COMMANDS, NoToolParamsSchema, type ToolDefinition, type ToolEnvironment, type ToolOutput, type ToolProvider, type ToolWire } from '@troupe/core';
import { errorOutput } from '../error-output.js';
import { EditorError } from './editor-error.js';
import { FileEditor } from './editor.js';

export const FileEditorParamsSchema = z.object({
  command: z
    .enum(FILE_EDITOR_COMMANDS)
    .describe('The commands to run. Allowed options are: `view`, `create`, `str_replace`, `insert`, `undo_edit`.'),
  path: z.string().describe('Absolute path to file or directory.'),
  file_text: z.string().optional().describe('Required parameter of `create` command, with the content of the file to be created.'),
  old_str: z.string().optional().describe('Required parameter of `str_replace` command containing the string in `path` to replace.'),
  new_str: z
    .string()
    .optional()
    .describe(
      'Optional parameter of `str_replace` command containing the new string (if not given, no string will be added). Required parameter of `insert` command containing the string to insert.',
    ),
  insert_line: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'Required parameter of `insert` command. The `new_str` will be inserted AFTER the line `insert_line` of `path`. Use 0 to insert at the top of the file.',
    ),
  view_range: z
    .array(z.number().int())
    .optional()
    .describe(
      'Optional parameter of `view` command when `path` points to a file. If none is given, the full file is shown. If provided, the file will be shown in the indicated line number range, e.g. [11, 12] will show lines 11 and 12. Indexing at 1 to start. Setting `[start_line, -1]` shows all lines from `start_line` to the end of the file.',
    ),
});
export type FileEditorParams = z.output<typeof FileEditorParamsSchema>;

/** What the model is told about the file editor; the planning editor adds its restriction to it. */
export function fileEditorDescription(workspace: string): string {
  return `Custom editing tool for viewing, creating and editing files in plain-text format
* State is persistent across command calls and discussions with the user
* If \`path\` is a text file, \`view\` displays the result of applying \`cat -n\`. If \`path\` is a directory, \`view\` lists non-hidden files and directories up to 2 levels deep
* If \`path\` is an image (.png, .jpg, .jpeg, .gif, .webp, .bmp), \`view\` displays the image content
* The \`create\` command cannot be used if the specified \`path\` already exists as a file
* If a \`command\` generates a long output, it will be truncated and marked with \`<response clipped>\`
* The \`undo_edit\` command will revert the last edit made to the file at \`path\`; undoing a \`create\` removes the file
* This tool can be used for creating and editing files in plain-text format.

Before using this tool:
1. Use the view tool to understand the file's contents and context
2. Verify the directory path is correct (only applicable when creating new files):
   - Use the view tool to verify the parent directory exists and is the correct location

When making edits:
   - Ensure the edit results in idiomatic, correct code
   - Do not leave the code in a broken state
   - Always use absolute file paths (starting with /)

CRITICAL REQUIREMENTS FOR USING THIS TOOL:

1. EXACT MATCHING: The \`old_str\` parameter must match EXACTLY one or more consecutive lines from the file, including all whitespace and indentation. The tool will fail if \`old_str\` matches multiple locations or doesn't match exactly with the file content.

2. UNIQUENESS: The \`old_str\` must uniquely identify a single instance in the file:
   - Include sufficient context before and after the change point (3-5 lines recommended)
   - If not unique, the replacement will not be performed

3. REPLACEMENT: The \`new_str\` parameter should contain the edited lines that replace the \`old_str\`. Both strings must be different.

Remember: when making multiple file edits in a row to the same file, you should prefer to send all edits in a single message with multiple calls to this tool, rather than making multiple messages with a single call each.

Your current working directory is: ${workspace}
When exploring project structure, start with this directory instead of the root filesystem.`;
}

const FILE_EDITOR_WIRE: ToolWire = {
  toolKind: 'FileEditorTool',
  actionKind: 'FileEditorAction',
  observationKind: 'FileEditorObservation',
  annotations: { title: 'file_editor', readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
};

/** The `file_editor` tool; each conversation gets its own undo history. */
export const fileEditorTool: ToolProvider = {
  name: 'file_editor',
  inline: true,
  paramsSchema: NoToolParamsSchema,
  create: (environment) => createFileEditorTool(environment),
};

export function createFileEditorTool(environment: ToolEnvironment): ToolDefinition<typeof FileEditorParamsSchema> {
  const editor = new FileEditor(environment.workspace);
  return defineTool({
    name: 'file_editor',
    description: fileEditorDescription(environment.workspace),
    parameters: FileEditorParamsSchema,
    wire: FILE_EDITOR_WIRE,
    execute: (args) => runEditorCommand(editor, args),
  });
}

/** Runs one command; an expected failure becomes an error result the model can correct. */
export async function runEditorCommand(editor: FileEditor, args: FileEditorParams): Promise<ToolOutput> {
  try {
    const result = await editor.run(args);
    return { content: result.content, data: result.data };
  } catch (error) {
    if (error instanceof EditorError) return errorOutput(error.message, { command: args.command, path: args.path });
    throw error;
  }
}
