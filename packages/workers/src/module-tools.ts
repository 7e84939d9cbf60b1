import { ConfigError, createTool, type ToolDefinition, type ToolEnvironment, type ToolProvider, type ToolRef } from '@troupe/core';

/** A custom tool's module export: a tool (shared as it is) or a provider (makes one per conversation). */
export type ModuleTool = ToolDefinition | ToolProvider;

/** A tool ref that names the module its tool comes from. */
export type ModuleToolRef = ToolRef & { module: string };

export function isToolDefinition(value: unknown): value is ToolDefinition {
  return typeof value === 'object' && value !== null && typeof (value as ToolDefinition).execute === 'function' && 'parameters' in value;
}

function isToolProvider(value: unknown): value is ToolProvider {
  return typeof value === 'object' && value !== null && typeof (value as ToolProvider).create === 'function';
}

/** Loads a custom tool's module and finds the export (default or named) whose name is `ref.name`. */
export async function loadModuleTool(ref: ModuleToolRef): Promise<ModuleTool> {
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
  return found as ModuleTool;
}

/** The conversation's tool from a module export: a provider makes its own, a tool is shared. */
export async function instantiateModuleTool(found: ModuleTool, environment: ToolEnvironment, params: Record<string, unknown>): Promise<ToolDefinition> {
  return isToolProvider(found) && !isToolDefinition(found) ? createTool(found, environment, params) : (found as ToolDefinition);
}
