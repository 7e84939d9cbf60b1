import { DEFAULT_TOOLS, TOOL_NAME_ALIASES } from '@troupe/core';
import { builtinToolProviders } from '@troupe/tools';

const BUILTIN_TOOL_NAMES: readonly string[] = [...builtinToolProviders.map((tool) => tool.name), ...DEFAULT_TOOLS.map((tool) => tool.name)];

/** The built-in tool a client's name refers to, or undefined. Clients cannot load tool modules. */
export function canonicalToolName(name: string): string | undefined {
  const canonical = TOOL_NAME_ALIASES[name] ?? name;
  return BUILTIN_TOOL_NAMES.includes(canonical) ? canonical : undefined;
}

export function usableToolNames(): string[] {
  return [...BUILTIN_TOOL_NAMES];
}
