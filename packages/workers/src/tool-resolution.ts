import { ConfigError, createTool, DEFAULT_TOOLS, TOOL_NAME_ALIASES, type ToolDefinition, type ToolEnvironment, type ToolProvider, type ToolRef } from '@troupe/core';
import { builtinToolProviders } from '@troupe/tools';

const BUILTIN_NAMES = new Set(DEFAULT_TOOLS.map((tool) => tool.name));

function isToolDefinition(value: unknown): value is ToolDefinition {
  return typeof value === 'object' && value !== null && typeof (value as ToolDefinition).execute === 'function' && 'parameters' in value;
}

function isToolProvider(value: unknown): value is ToolProvider {
  return typeof value === 'object' && value !== null && typeof (value as ToolProvider).create === 'function';
}

/** Loads a custom tool from its module: the export (default or named) whose name is `ref.name`. */
async function loadModuleTool(ref: ToolRef & { module: string }, environment: ToolEnvironment): Promise<ToolDefinition> {
  let module: Record<string, unknown>;
  try {
    module = (await import(ref.module)) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Cannot load tool "${ref.name}" from ${ref.module}: ${(error as Error).message}. Pass an absolute file URL, e.g. new URL('./my-tool.js', import.meta.url).href.`);
  }
  const candidates = [module.default, ...Object.values(module)];
  const found = candidates.find((value) => (isToolDefinition(value) || isToolProvider(value)) && (value as { name: string }).name === ref.name);
  if (!found) {
    throw new ConfigError(`Module ${ref.module} exports no tool named "${ref.name}"; export the result of defineTool({ name: '${ref.name}', ... }).`);
  }
  return isToolProvider(found) && !isToolDefinition(found) ? createTool(found, environment, ref.params) : (found as ToolDefinition);
}

/**
 * Makes the agent's tools for one conversation: built-ins by name (or alias), custom tools from
 * their modules. `finish` and `think` are added by the runtime itself.
 */
export async function resolveTools(refs: readonly ToolRef[], environment: ToolEnvironment): Promise<ToolDefinition[]> {
  const tools: ToolDefinition[] = [];
  for (const ref of refs) {
    if (ref.module) {
      tools.push(await loadModuleTool({ ...ref, module: ref.module }, environment));
      continue;
    }
    const name = TOOL_NAME_ALIASES[ref.name] ?? ref.name;
    if (BUILTIN_NAMES.has(name)) continue;
    const provider = builtinToolProviders.find((candidate) => candidate.name === name);
    if (!provider) {
      const known = [...builtinToolProviders.map((p) => p.name), ...BUILTIN_NAMES].join(', ');
      throw new ConfigError(`Unknown tool "${ref.name}": the built-in tools are ${known}; for a custom tool pass { name, module: new URL('./tool.js', import.meta.url).href }.`);
    }
    tools.push(await createTool(provider, environment, ref.params));
  }
  return tools;
}
