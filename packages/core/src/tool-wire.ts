import { z } from 'zod';
import type { ActionKind } from './tool-actions.js';
import type { ObservationKind } from './tool-observations.js';

/** MCP-style hints about what a tool does (OpenHands' ToolAnnotations; every hint has MCP's default when left out). */
export const ToolAnnotationsSchema = z.object({
  title: z.string().nullable().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
export type ToolAnnotations = z.infer<typeof ToolAnnotationsSchema>;

export const BUILTIN_TOOL_KINDS = [
  'TerminalTool',
  'FileEditorTool',
  'PlanningFileEditorTool',
  'TaskTrackerTool',
  'FinishTool',
  'ThinkTool',
  'GlobTool',
  'GrepTool',
  'ApplyPatchTool',
] as const;
export type BuiltinToolKind = (typeof BUILTIN_TOOL_KINDS)[number];

/**
 * Who a tool is on OpenHands' wire: the kinds of its definition, action and observation (OpenHands'
 * class names, which its client must know to parse an event) and its annotations. Declared once by
 * each built-in tool; a tool without one is an MCP tool there.
 */
export interface ToolWire {
  readonly toolKind: BuiltinToolKind;
  readonly actionKind: Exclude<ActionKind, 'MCPToolAction'>;
  readonly observationKind: Exclude<ObservationKind, 'MCPToolObservation'>;
  /** With every hint given: `readOnlyHint` is also the tool's `readOnly`. */
  readonly annotations: Required<Omit<ToolAnnotations, 'title'>> & { readonly title?: string };
}

const recordFields = {
  description: z.string(),
  action_type: z.string(),
  observation_type: z.string().nullable().optional(),
  annotations: ToolAnnotationsSchema.nullable().optional(),
  meta: z.record(z.string(), z.unknown()).nullable().optional(),
  /** The annotations' title, else the tool's name (OpenHands computes it so). */
  title: z.string(),
};

/**
 * A tool as `SystemPromptEvent.tools` lists it: OpenHands' ToolDefinition dump. It has no name and
 * no parameters: OpenHands derives both from the kind; an MCP tool carries them in `mcp_tool`.
 */
export const ToolDefinitionRecordSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(BUILTIN_TOOL_KINDS), ...recordFields }),
  z.strictObject({
    kind: z.literal('MCPToolDefinition'),
    ...recordFields,
    mcp_tool: z.object({ name: z.string(), description: z.string().optional(), inputSchema: z.record(z.string(), z.unknown()) }),
  }),
]);
export type ToolDefinitionRecord = z.infer<typeof ToolDefinitionRecordSchema>;
