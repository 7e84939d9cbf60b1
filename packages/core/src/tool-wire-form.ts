import { ToolOutputError } from './errors.js';
import { normalizeToolOutput, type ToolDefinition, type ToolOutput, toParametersJsonSchema } from './tool.js';
import type { Action } from './tool-actions.js';
import { type Observation, ObservationSchema } from './tool-observations.js';
import { formatZodIssues } from './zod-issues.js';
import type { ToolAnnotations, ToolDefinitionRecord } from './tool-wire.js';

/**
 * How a tool's calls, results and definition look on OpenHands' wire. A tool with a `wire`
 * identity (the built-ins) has its own kinds, and its arguments and observation fields are that
 * action's and observation's fields. Any other tool (`defineTool`, client and module tools) has no
 * kind the OpenHands client knows, so it appears as the SDK's MCP tool, which every client can
 * parse: `MCPToolDefinition` (name and parameters in `mcp_tool`), `MCPToolAction` (arguments as
 * `data`), `MCPToolObservation` (content and the tool's name only).
 */

/** The action of a valid call: the arguments under the tool's action kind. */
export function toWireAction(tool: ToolDefinition, args: Record<string, unknown>): Action {
  if (!tool.wire) return { kind: 'MCPToolAction', data: args };
  return { kind: tool.wire.actionKind, ...args } as Action;
}

/** The arguments an action carries, as the tool's `execute` takes them. */
export function actionArguments(action: Action): Record<string, unknown> {
  if (action.kind === 'MCPToolAction') return action.data ?? {};
  const { kind: _kind, ...args } = action;
  return args;
}

/**
 * Turns what a tool returned into its observation. A built-in's is checked against its OpenHands
 * observation (and so has that one's field order): a tool that drifts from it fails here, loudly.
 */
export function toObservation(tool: ToolDefinition, output: ToolOutput): Observation {
  const { content, isError: is_error, data } = normalizeToolOutput(output);
  if (!tool.wire) {
    if (data !== undefined && Object.keys(data).length > 0) {
      throw new ToolOutputError(
        `Tool '${tool.name}' returned observation fields (${Object.keys(data).join(', ')}), which only a built-in tool's observation has: put them in the content, or leave them out.`,
      );
    }
    return { kind: 'MCPToolObservation', content, is_error, tool_name: tool.name };
  }
  const parsed = ObservationSchema.safeParse({ kind: tool.wire.observationKind, content, is_error, ...data });
  if (!parsed.success) {
    throw new ToolOutputError(`Tool '${tool.name}' returned what OpenHands' ${tool.wire.observationKind} cannot hold: ${formatZodIssues(parsed.error, '(observation)')}.`);
  }
  return parsed.data;
}

/** The hints of a tool without a `wire` identity: read-only or not, MCP's defaults otherwise. */
function mcpAnnotations(tool: ToolDefinition): ToolAnnotations {
  return { title: tool.name, readOnlyHint: tool.readOnly, destructiveHint: !tool.readOnly, idempotentHint: tool.readOnly, openWorldHint: true };
}

/** The tool as `SystemPromptEvent.tools` lists it (OpenHands' ToolDefinition dump). */
export function toToolDefinitionRecord(tool: ToolDefinition): ToolDefinitionRecord {
  const { wire } = tool;
  if (!wire) {
    return {
      kind: 'MCPToolDefinition',
      description: tool.description,
      action_type: 'MCPToolAction',
      observation_type: 'MCPToolObservation',
      annotations: tool.annotations ?? mcpAnnotations(tool),
      title: tool.annotations?.title ?? tool.name,
      mcp_tool: { name: tool.name, description: tool.description, inputSchema: toParametersJsonSchema(tool) },
    };
  }
  return {
    kind: wire.toolKind,
    description: tool.description,
    action_type: wire.actionKind,
    observation_type: wire.observationKind,
    annotations: wire.annotations,
    title: wire.annotations.title ?? tool.name,
  };
}
