import { z } from 'zod';

/**
 * The actions of the tools, in OpenHands' shape (`ActionEvent.action`): each tool's Action object,
 * told apart by its `kind` (the OpenHands class name) and strict, as OpenHands' are (extra=forbid).
 * A tool's arguments are its action's fields; `security_risk` is never one of them (it is the
 * ActionEvent's own field). Tools without an OpenHands kind of their own (every `defineTool` tool)
 * use the SDK's MCP action, which carries the arguments as `data`.
 */

const optionalText = z.string().nullable().optional();

/** A task of the task tracker (OpenHands' TaskItem, which ignores unknown keys). */
export const TaskItemWireSchema = z.object({
  title: z.string(),
  notes: z.string().optional(),
  status: z.enum(['todo', 'in_progress', 'done']).optional(),
});

export const FILE_EDITOR_COMMANDS = ['view', 'create', 'str_replace', 'insert', 'undo_edit'] as const;

const fileEditorActionFields = {
  command: z.enum(FILE_EDITOR_COMMANDS),
  path: z.string(),
  file_text: optionalText,
  old_str: optionalText,
  new_str: optionalText,
  insert_line: z.number().int().nullable().optional(),
  view_range: z.array(z.number().int()).nullable().optional(),
};

export const TerminalActionSchema = z.strictObject({
  kind: z.literal('TerminalAction'),
  command: z.string(),
  is_input: z.boolean().optional(),
  timeout: z.number().nullable().optional(),
  reset: z.boolean().optional(),
});

export const FileEditorActionSchema = z.strictObject({ kind: z.literal('FileEditorAction'), ...fileEditorActionFields });

export const PlanningFileEditorActionSchema = z.strictObject({ kind: z.literal('PlanningFileEditorAction'), ...fileEditorActionFields });

export const TaskTrackerActionSchema = z.strictObject({
  kind: z.literal('TaskTrackerAction'),
  command: z.enum(['view', 'plan']).optional(),
  task_list: z.array(TaskItemWireSchema).optional(),
});

export const FinishActionSchema = z.strictObject({ kind: z.literal('FinishAction'), message: z.string() });

export const ThinkActionSchema = z.strictObject({ kind: z.literal('ThinkAction'), thought: z.string() });

export const GlobActionSchema = z.strictObject({ kind: z.literal('GlobAction'), pattern: z.string(), path: optionalText });

export const GrepActionSchema = z.strictObject({ kind: z.literal('GrepAction'), pattern: z.string(), path: optionalText, include: optionalText });

export const ApplyPatchActionSchema = z.strictObject({ kind: z.literal('ApplyPatchAction'), patch: z.string() });

/** The action of a tool known to OpenHands only as an MCP tool: the arguments as they are. */
export const MCPToolActionSchema = z.strictObject({ kind: z.literal('MCPToolAction'), data: z.record(z.string(), z.unknown()).optional() });

export const ActionSchema = z.discriminatedUnion('kind', [
  TerminalActionSchema,
  FileEditorActionSchema,
  PlanningFileEditorActionSchema,
  TaskTrackerActionSchema,
  FinishActionSchema,
  ThinkActionSchema,
  GlobActionSchema,
  GrepActionSchema,
  ApplyPatchActionSchema,
  MCPToolActionSchema,
]);
export type Action = z.infer<typeof ActionSchema>;
export type ActionKind = Action['kind'];
