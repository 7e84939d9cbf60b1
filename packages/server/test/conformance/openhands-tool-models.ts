import { z } from 'zod';

/**
 * The conformance oracle, part 1: OpenHands' tool models as its Python client parses them
 * (openhands-sdk / openhands-tools, v1.43), written here from its published models and kept apart
 * from core's schemas on purpose: a drift in core's is caught by these. Conventions of the client
 * (pydantic): a field with a default may be left out; `null` is accepted only where the type
 * allows None; Action and Observation classes forbid unknown keys, helper models ignore them;
 * `kind` (the class name) selects the class, and an unknown or missing kind fails the whole event.
 */

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const OhTextContent = z.strictObject({
  cache_prompt: z.boolean().optional(),
  type: z.literal('text').optional(),
  text: z.string(),
});

export const OhImageContent = z.looseObject({
  cache_prompt: z.boolean().optional(),
  type: z.literal('image').optional(),
  image_urls: z.array(z.string()),
});

export const OhContent = z.union([OhTextContent, OhImageContent]);

// ---------------------------------------------------------------- actions (extra=forbid)

const OhTaskItem = z.looseObject({ title: z.string(), notes: z.string().optional(), status: z.enum(['todo', 'in_progress', 'done']).optional() });

const editorCommand = z.enum(['view', 'create', 'str_replace', 'insert', 'undo_edit']);
const editorAction = {
  command: editorCommand,
  path: z.string(),
  file_text: nullable(z.string()),
  old_str: nullable(z.string()),
  new_str: nullable(z.string()),
  insert_line: nullable(z.number().int()),
  view_range: nullable(z.array(z.number().int())),
};

export const OhAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('TerminalAction'), command: z.string(), is_input: z.boolean().optional(), timeout: nullable(z.number()), reset: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('FileEditorAction'), ...editorAction }),
  z.strictObject({ kind: z.literal('PlanningFileEditorAction'), ...editorAction }),
  z.strictObject({ kind: z.literal('TaskTrackerAction'), command: z.enum(['view', 'plan']).optional(), task_list: z.array(OhTaskItem).optional() }),
  z.strictObject({ kind: z.literal('FinishAction'), message: z.string() }),
  z.strictObject({ kind: z.literal('ThinkAction'), thought: z.string() }),
  z.strictObject({ kind: z.literal('GlobAction'), pattern: z.string(), path: nullable(z.string()) }),
  z.strictObject({ kind: z.literal('GrepAction'), pattern: z.string(), path: nullable(z.string()), include: nullable(z.string()) }),
  z.strictObject({ kind: z.literal('ApplyPatchAction'), patch: z.string() }),
  z.strictObject({ kind: z.literal('MCPToolAction'), data: z.record(z.string(), z.unknown()).optional() }),
]);

// ---------------------------------------------------------------- observations (extra=forbid)

const observation = { content: z.array(OhContent).optional(), is_error: z.boolean().optional() };

const OhCmdOutputMetadata = z.looseObject({
  exit_code: z.number().int().optional(),
  pid: z.number().int().optional(),
  username: nullable(z.string()),
  hostname: nullable(z.string()),
  working_dir: nullable(z.string()),
  py_interpreter_path: nullable(z.string()),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});

const editorObservation = {
  ...observation,
  command: editorCommand,
  path: nullable(z.string()),
  prev_exist: z.boolean().optional(),
  old_content: nullable(z.string()),
  new_content: nullable(z.string()),
};

const OhFileChange = z.looseObject({
  type: z.enum(['add', 'delete', 'update']),
  old_content: nullable(z.string()),
  new_content: nullable(z.string()),
  move_path: nullable(z.string()),
});

export const OhObservation = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('TerminalObservation'),
    ...observation,
    command: z.string().nullable(),
    exit_code: nullable(z.number().int()),
    timeout: z.boolean().optional(),
    metadata: OhCmdOutputMetadata.optional(),
    full_output_save_dir: nullable(z.string()),
  }),
  z.strictObject({ kind: z.literal('FileEditorObservation'), ...editorObservation }),
  z.strictObject({ kind: z.literal('PlanningFileEditorObservation'), ...editorObservation }),
  z.strictObject({ kind: z.literal('TaskTrackerObservation'), ...observation, command: z.enum(['view', 'plan']), task_list: z.array(OhTaskItem).optional() }),
  z.strictObject({ kind: z.literal('FinishObservation'), ...observation }),
  z.strictObject({ kind: z.literal('ThinkObservation'), ...observation }),
  z.strictObject({ kind: z.literal('GlobObservation'), ...observation, files: z.array(z.string()), pattern: z.string(), search_path: z.string(), truncated: z.boolean().optional() }),
  z.strictObject({
    kind: z.literal('GrepObservation'),
    ...observation,
    matches: z.array(z.string()),
    pattern: z.string(),
    search_path: z.string(),
    include_pattern: nullable(z.string()),
    truncated: z.boolean().optional(),
  }),
  z.strictObject({
    kind: z.literal('ApplyPatchObservation'),
    ...observation,
    message: z.string().optional(),
    fuzz: z.number().int().optional(),
    commit: nullable(z.looseObject({ changes: z.record(z.string(), OhFileChange).optional() })),
  }),
  z.strictObject({ kind: z.literal('MCPToolObservation'), ...observation, tool_name: z.string() }),
  z.strictObject({ kind: z.literal('ClientToolObservation'), ...observation }),
]);

// ---------------------------------------------------------------- tool definitions (extra=ignore)

const ACTION_KINDS = OhAction.options.map((option) => option.shape.kind.value);
const OBSERVATION_KINDS = OhObservation.options.map((option) => option.shape.kind.value);

const OhToolAnnotations = z.looseObject({
  title: nullable(z.string()),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

/** Resolved by kind like an action: a kind the client does not know fails the event. */
const toolDefinition = {
  description: z.string(),
  action_type: z.enum(ACTION_KINDS as [string, ...string[]]),
  observation_type: nullable(z.enum(OBSERVATION_KINDS as [string, ...string[]])),
  annotations: nullable(OhToolAnnotations),
  meta: nullable(z.record(z.string(), z.unknown())),
  /** Computed by the client (annotations' title, else the name); ignored on input. */
  title: z.string().optional(),
};

export const OhToolDefinition = z.discriminatedUnion('kind', [
  z.looseObject({
    kind: z.enum(['TerminalTool', 'FileEditorTool', 'PlanningFileEditorTool', 'TaskTrackerTool', 'FinishTool', 'ThinkTool', 'GlobTool', 'GrepTool', 'ApplyPatchTool']),
    ...toolDefinition,
  }),
  z.looseObject({
    kind: z.literal('MCPToolDefinition'),
    ...toolDefinition,
    mcp_tool: z.union([
      z.looseObject({ name: z.string(), description: nullable(z.string()), inputSchema: z.record(z.string(), z.unknown()) }),
      z.looseObject({ name: z.string(), description: nullable(z.string()), input_schema: z.record(z.string(), z.unknown()) }),
    ]),
  }),
]);
