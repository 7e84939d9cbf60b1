import { isDeepStrictEqual } from 'node:util';
import type { AgentConfig } from './agent-config.js';
import type { Skill } from './agent-context.js';
import { PluginError } from './errors.js';
import { HOOK_EVENT_FIELDS, type HookConfig } from './hook-config.js';
import { type McpConfig, type McpServerConfig, redactMcpCredentials } from './mcp-config.js';
import type { Plugin } from './plugin.js';

/**
 * An agent and its hooks with plugins merged in, in order:
 * - skills: added; a plugin's skill replaces one of the same name (OpenHands: the plugin wins);
 * - MCP servers: added by name; two different servers of one name are a `PluginError` (one
 *   identical to the agent's, as on a resume whose stored agent already holds it with its
 *   credentials masked, is no clash, and the plugin's, with its credentials, is kept);
 * - hooks: per event, the explicit hooks first, then each plugin's (as OpenHands runs them).
 */
export function mergePlugins(agent: AgentConfig, hookConfig: HookConfig | undefined, plugins: readonly Plugin[]): { agent: AgentConfig; hookConfig: HookConfig | undefined } {
  if (plugins.length === 0) return { agent, hookConfig };
  const skills = new Map<string, Skill>(agent.agentContext.skills.map((skill) => [skill.name, skill]));
  const servers: McpConfig['mcpServers'] = { ...agent.mcpConfig?.mcpServers };
  const serverOwner = new Map<string, string>(Object.keys(servers).map((name) => [name, 'the agent']));
  let hooks = hookConfig;
  for (const plugin of plugins) {
    for (const skill of plugin.skills) skills.set(skill.name, skill);
    for (const [name, server] of Object.entries(plugin.mcpConfig?.mcpServers ?? {})) {
      const owner = serverOwner.get(name);
      if (owner !== undefined && !sameServer(servers[name]!, server)) {
        throw new PluginError(`Plugin ${plugin.name} (${plugin.path}/.mcp.json) defines the MCP server "${name}", which ${owner} defines too; rename one of them.`, `${plugin.path}/.mcp.json`);
      }
      servers[name] = server;
      serverOwner.set(name, `plugin ${plugin.name}`);
    }
    if (plugin.hookConfig) hooks = concatHooks(hooks, plugin.hookConfig);
  }
  const hasServers = agent.mcpConfig !== undefined || Object.keys(servers).length > 0;
  return {
    agent: { ...agent, agentContext: { ...agent.agentContext, skills: [...skills.values()] }, ...(hasServers ? { mcpConfig: { mcpServers: servers } } : {}) },
    hookConfig: hooks,
  };
}

/** The same server, but for credentials a stored agent holds masked (`redactMcpCredentials`). */
function sameServer(existing: McpServerConfig, server: McpServerConfig): boolean {
  const redacted = (config: McpServerConfig) => redactMcpCredentials({ mcpServers: { server: config } });
  return isDeepStrictEqual(existing, server) || isDeepStrictEqual(redacted(existing), redacted(server));
}

function concatHooks(first: HookConfig | undefined, then: HookConfig): HookConfig {
  if (!first) return then;
  return Object.fromEntries(Object.values(HOOK_EVENT_FIELDS).map((field) => [field, [...first[field], ...then[field]]])) as HookConfig;
}
