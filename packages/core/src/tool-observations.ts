import { z } from 'zod';
import { ContentSchema } from './content.js';
import { FILE_EDITOR_COMMANDS, TaskItemWireSchema } from './tool-actions.js';

/**
 * What the tools returned, in OpenHands' shape (`ObservationEvent.observation`): each tool's
 * Observation object, told apart by its `kind` and strict, as OpenHands' are. Every one has
 * `content` (what the model sees) and `is_error`; the other fields are the tool's own. Tools
 * without an OpenHands kind use the SDK's MCP observation, which has only the tool's name besides.
 */

const optionalText = z.string().nullable().optional();

const observationBase = {
  content: z.array(ContentSchema),
  is_error: z.boolean(),
};

/** The shell's state after a command (OpenHands' CmdOutputMetadata, which ignores unknown keys). */
export const TerminalMetadataSchema = z.object({
  exit_code: z.number().int().optional(),
  pid: z.number().int().optional(),
  username: optionalText,
  hostname: optionalText,
  working_dir: optionalText,
  py_interpreter_path: optionalText,
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});

export const TerminalObservationSchema = z.strictObject({
  kind: z.literal('TerminalObservation'),
  ...observationBase,
  /** Required, and may be null (OpenHands' own rule). */
  command: z.string().nullable(),
  exit_code: z.number().int().nullable().optional(),
  timeout: z.boolean().optional(),
  metadata: TerminalMetadataSchema.optional(),
  full_output_save_dir: optionalText,
});

const fileEditorObservationFields = {
  ...observationBase,
  command: z.enum(FILE_EDITOR_COMMANDS),
  path: optionalText,
  prev_exist: z.boolean().optional(),
  old_content: optionalText,
  new_content: optionalText,
};

export const FileEditorObservationSchema = z.strictObject({ kind: z.literal('FileEditorObservation'), ...fileEditorObservationFields });

export const PlanningFileEditorObservationSchema = z.strictObject({ kind: z.literal('PlanningFileEditorObservation'), ...fileEditorObservationFields });

export const TaskTrackerObservationSchema = z.strictObject({
  kind: z.literal('TaskTrackerObservation'),
  ...observationBase,
  command: z.enum(['view', 'plan']),
  task_list: z.array(TaskItemWireSchema).optional(),
});

export const FinishObservationSchema = z.strictObject({ kind: z.literal('FinishObservation'), ...observationBase });

export const ThinkObservationSchema = z.strictObject({ kind: z.literal('ThinkObservation'), ...observationBase });

export const GlobObservationSchema = z.strictObject({
  kind: z.literal('GlobObservation'),
  ...observationBase,
  files: z.array(z.string()),
  pattern: z.string(),
  search_path: z.string(),
  truncated: z.boolean().optional(),
});

export const GrepObservationSchema = z.strictObject({
  kind: z.literal('GrepObservation'),
  ...observationBase,
  matches: z.array(z.string()),
  pattern: z.string(),
  search_path: z.string(),
  include_pattern: optionalText,
  truncated: z.boolean().optional(),
});

/** One file a patch changed (OpenHands' FileChange, keyed by path in the commit). */
const FileChangeSchema = z.object({
  type: z.enum(['add', 'delete', 'update']),
  old_content: optionalText,
  new_content: optionalText,
  move_path: optionalText,
});

export const ApplyPatchObservationSchema = z.strictObject({
  kind: z.literal('ApplyPatchObservation'),
  ...observationBase,
  message: z.string().optional(),
  fuzz: z.number().int().optional(),
  commit: z.object({ changes: z.record(z.string(), FileChangeSchema) }).nullable().optional(),
});

export const MCPToolObservationSchema = z.strictObject({ kind: z.literal('MCPToolObservation'), ...observationBase, tool_name: z.string() });

export const ObservationSchema = z.discriminatedUnion('kind', [
  TerminalObservationSchema,
  FileEditorObservationSchema,
  PlanningFileEditorObservationSchema,
  TaskTrackerObservationSchema,
  FinishObservationSchema,
  ThinkObservationSchema,
  GlobObservationSchema,
  GrepObservationSchema,
  ApplyPatchObservationSchema,
  MCPToolObservationSchema,
]);
export type Observation = z.infer<typeof ObservationSchema>;
export type ObservationKind = Observation['kind'];
