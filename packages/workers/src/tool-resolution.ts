import { ConfigError, createTool, DEFAULT_TOOLS, TOOL_NAME_ALIASES, type ToolDefinition, type ToolEnvironment, type ToolRef } from '@troupe/core';
import { builtinToolProviders } from '@troupe/tools';
import { instantiateModuleTool, loadModuleTool } from './module-tools.js';
import type { ToolThreadSession } from './tool-thread-session.js';

const BUILTIN_NAMES = new Set(DEFAULT_TOOLS.map((tool) => tool.name));

/**
 * Makes the agent's tools for one conversation: built-ins by name (or alias), custom tools from
 * their modules. A custom tool runs in the actor thread's tool thread (`toolThread`), unless it is
 * marked `inline` (it never blocks): then it runs here, on the actor's thread, as the built-ins do.
 * `finish` and `think` are added by the runtime itself.
 */
export async function resolveTools(refs: readonly ToolRef[], environment: ToolEnvironment, toolThread: ToolThreadSession): Promise<ToolDefinition[]> {
  const tools: ToolDefinition[] = [];
  for (const ref of refs) {
    if (ref.module) {
      const moduleRef = { ...ref, module: ref.module };
      const found = await loadModuleTool(moduleRef);
      tools.push(found.inline ? await instantiateModuleTool(found, environment, ref.params ?? {}) : await toolThread.makeTool(moduleRef, found));
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
