import { DEFAULT_TOOLS, NoToolParamsSchema, TOOL_NAME_ALIASES } from '@troupe/core';
import { builtinToolProviders } from '@troupe/tools';
import type { z } from 'zod';

const BUILTIN_TOOL_NAMES: readonly string[] = [...builtinToolProviders.map((tool) => tool.name), ...DEFAULT_TOOLS.map((tool) => tool.name)];

/** The built-in tool a client's name refers to, or undefined. Clients cannot load tool modules. */
export function canonicalToolName(name: string): string | undefined {
  const canonical = TOOL_NAME_ALIASES[name] ?? name;
  return BUILTIN_TOOL_NAMES.includes(canonical) ? canonical : undefined;
}

export function usableToolNames(): string[] {
  return [...BUILTIN_TOOL_NAMES];
}

/** The params a built-in tool accepts: its provider's own schema; the runtime's `finish` and `think` take none. */
export function toolParamsSchema(canonicalName: string): z.ZodType<Record<string, unknown>> {
  return builtinToolProviders.find((provider) => provider.name === canonicalName)?.paramsSchema ?? NoToolParamsSchema;
}
