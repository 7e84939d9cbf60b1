import { z } from 'zod';
import type { ToolCall } from './content.js';
import type { SecurityRisk } from './event-base.js';
import { SECURITY_RISK_PARAMETER, type ToolDefinition } from './tool.js';
import { formatZodIssues } from './zod-issues.js';

/**
 * Other names of our tools: from older schemas and other agents (what models still call them) and
 * OpenHands' tool class names (what its clients put in an agent's tool list).
 */
export const TOOL_NAME_ALIASES: Readonly<Record<string, string>> = {
  execute_bash: 'terminal',
  bash: 'terminal',
  command: 'terminal',
  execute: 'terminal',
  str_replace_editor: 'file_editor',
  str_replace: 'file_editor',
  TerminalTool: 'terminal',
  BashTool: 'terminal',
  FileEditorTool: 'file_editor',
  TaskTrackerTool: 'task_tracker',
  GlobTool: 'glob',
  GrepTool: 'grep',
  ApplyPatchTool: 'apply_patch',
  PlanningFileEditorTool: 'planning_file_editor',
  FinishTool: 'finish',
  ThinkTool: 'think',
};

const SECURITY_RISK_TYPOS = [SECURITY_RISK_PARAMETER, 'security_rort', 'securtiy_risk', 'security_riks'];

export type ParsedToolCall =
  | { ok: true; tool: ToolDefinition; args: Record<string, unknown>; securityRisk: SecurityRisk }
  | {
      ok: false;
      toolName: string;
      /** What the model is told. */
      error: string;
      /** The arguments to keep in history: the raw text when it was JSON, else a JSON wrapper of it. */
      historyArguments: string;
    };

/** Finds the tool a call names: exact, then by alias, then without trailing junk (`str_replace</parameter`). */
export function resolveToolName(name: string, tools: ReadonlyMap<string, ToolDefinition>): ToolDefinition | undefined {
  const exact = tools.get(name);
  if (exact) return exact;
  const cleaned = name.trim().split(/[\s<>"']/)[0] ?? '';
  const candidates = [cleaned, TOOL_NAME_ALIASES[name], TOOL_NAME_ALIASES[cleaned]];
  for (const candidate of candidates) {
    const tool = candidate ? tools.get(candidate) : undefined;
    if (tool) return tool;
  }
  return undefined;
}

/** Parses JSON; on failure retries with raw control characters inside strings escaped. */
function parseArguments(raw: string): { ok: true; value: unknown } | { ok: false } {
  const text = raw.trim() === '' ? '{}' : raw;
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    try {
      // eslint-disable-next-line no-control-regex
      return { ok: true, value: JSON.parse(text.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)) };
    } catch {
      return { ok: false };
    }
  }
}

function normalizeRisk(value: unknown): SecurityRisk {
  const upper = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return upper === 'LOW' || upper === 'MEDIUM' || upper === 'HIGH' ? upper : 'UNKNOWN';
}

/** Decodes fields sent as JSON text where the schema wants a list or object (`"view_range": "[1, 5]"`). */
function decodeStringifiedFields(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // Not JSON after all: keep the string.
      }
    }
    out[key] = value;
  }
  return out;
}

/** What the model is told when a call's arguments do not fit the tool's parameters (the keys it gave, never their values). */
export function invalidArgumentsText(toolName: string, error: z.ZodError, providedKeys: readonly string[]): string {
  return `Error validating tool '${toolName}': ${formatZodIssues(error)}. Parameters provided: [${providedKeys.join(', ')}]`;
}

/**
 * Turns a raw tool call into validated arguments, or into the error text the model should see.
 * Repairs what can be repaired (aliases, control characters, null values, stringified lists)
 * and never throws: bad model output must not crash a run.
 */
export function parseToolCall(call: ToolCall, tools: ReadonlyMap<string, ToolDefinition>): ParsedToolCall {
  const name = call.name;
  const raw = call.arguments;
  const tool = resolveToolName(name, tools);
  const parsed = parseArguments(raw);
  const historyArguments = parsed.ok ? raw : JSON.stringify({ malformed_arguments: raw.slice(0, 2000) });
  if (!tool) {
    return { ok: false, toolName: name, historyArguments, error: `Tool '${name}' not found. Available: [${[...tools.keys()].join(', ')}]` };
  }
  if (!parsed.ok) {
    return { ok: false, toolName: tool.name, historyArguments, error: `Error validating tool '${tool.name}': Arguments: unparseable JSON` };
  }
  const object = parsed.value !== null && typeof parsed.value === 'object' && !Array.isArray(parsed.value) ? (parsed.value as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  let securityRisk: SecurityRisk = 'UNKNOWN';
  for (const [key, value] of Object.entries(object)) {
    if (SECURITY_RISK_TYPOS.includes(key)) securityRisk = normalizeRisk(value);
    else if (value !== null) args[key] = value;
  }
  const checked = checkToolArguments(tool, args);
  if (!checked.ok) return { ok: false, toolName: tool.name, historyArguments, error: checked.error };
  return { ok: true, tool, args: checked.args, securityRisk };
}

/**
 * Validates a call's arguments with the tool's schema, repairing fields the model sent as JSON
 * strings; the error text tells the model what to fix. (Where the tool runs on another thread,
 * this runs there.)
 */
export function checkToolArguments(tool: ToolDefinition, args: Record<string, unknown>): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  let result = tool.parameters.safeParse(args);
  if (!result.success) {
    const decoded = tool.parameters.safeParse(decodeStringifiedFields(args));
    if (decoded.success) result = decoded;
  }
  if (!result.success) return { ok: false, error: invalidArgumentsText(tool.name, result.error, Object.keys(args)) };
  return { ok: true, args: result.data as Record<string, unknown> };
}
