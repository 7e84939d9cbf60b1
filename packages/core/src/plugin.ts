import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import type { Skill } from './agent-context.js';
import { errorMessage, PluginError, TroupeError } from './errors.js';
import { type HookConfig, HookConfigSchema } from './hook-config.js';
import { type McpConfig, McpConfigSchema, type McpServerConfig } from './mcp-config.js';
import { readSkillDirectory } from './workspace-context.js';
import { formatZodIssues } from './zod-issues.js';

/**
 * A plugin: a directory bundling skills, MCP servers and hooks (the Claude Code layout OpenHands
 * reads):
 *
 * ```
 * my-plugin/
 * ├── .plugin/plugin.json     # or .claude-plugin/plugin.json: {"name": …} (default: the directory's name)
 * ├── skills/                 # skill files, as in a workspace's .agents/skills/
 * ├── .mcp.json               # {"mcpServers": {…}}; ${SKILL_ROOT} is the plugin's directory
 * └── hooks/hooks.json        # a hook config ({"hooks": {"PreToolUse": […]}} or the bare events)
 * ```
 */

/** Where a plugin is, in OpenHands' shape (`PluginSource`). Only local directories load here. */
export const PluginSourceSchema = z.strictObject({
  /** A local directory (absolute, or relative to the workspace); a git source is refused (it needs a network). */
  source: z.string().min(1),
  /** A branch, tag or commit: only for git sources, which Troupe cannot fetch. */
  ref: z.string().nullish(),
  /** A subdirectory of a git repository: only for git sources. */
  repo_path: z.string().nullish(),
});
export type PluginSource = z.output<typeof PluginSourceSchema>;

/** What a plugin directory holds, read. */
export interface Plugin {
  name: string;
  /** Its directory, absolute. */
  path: string;
  skills: Skill[];
  mcpConfig?: McpConfig;
  hookConfig?: HookConfig;
}

const MANIFEST_FILES = ['.plugin/plugin.json', '.claude-plugin/plugin.json'];
const MCP_FILE = '.mcp.json';
const HOOKS_FILE = 'hooks/hooks.json';
const SKILLS_DIRECTORY = 'skills';

const GIT_SOURCE = /^(github:|git@|(https?|git|ssh):\/\/)/;

const ManifestSchema = z.looseObject({ name: z.string().trim().min(1).optional() });

/** A plugin's file parsed as JSON; null when the file does not exist. */
async function readJson(dir: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PluginError(`Cannot read ${join(dir, file)}: ${errorMessage(error)}. Fix its permissions or remove it.`, join(dir, file));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PluginError(`Invalid plugin file ${join(dir, file)}: it is not JSON (${errorMessage(error)}). Fix or remove the file.`, join(dir, file));
  }
}

function parsed<T extends z.ZodType>(schema: T, value: unknown, dir: string, file: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new PluginError(`Invalid plugin file ${join(dir, file)}: ${formatZodIssues(result.error, file)}. Fix or remove the file.`, join(dir, file));
  return result.data;
}

/** `${SKILL_ROOT}` in a local server's command, args, env and cwd is the plugin's directory (as OpenHands expands it). */
function withSkillRoot(server: McpServerConfig, dir: string): McpServerConfig {
  const expand = (value: string) => value.replaceAll('${SKILL_ROOT}', dir);
  return {
    ...server,
    ...(server.command ? { command: expand(server.command) } : {}),
    ...(server.args ? { args: server.args.map(expand) } : {}),
    ...(server.env ? { env: Object.fromEntries(Object.entries(server.env).map(([key, value]) => [key, expand(value)])) } : {}),
    ...(server.cwd ? { cwd: expand(server.cwd) } : {}),
  };
}

/** The directory a source names; a git source, or git-only fields on a local one, are a `PluginError`. */
export function pluginDirectory(source: PluginSource, workspace: string): string {
  if (GIT_SOURCE.test(source.source)) {
    throw new PluginError(
      `Plugin ${source.source} is a git source: fetching it needs a network, which Troupe does not use here. Clone it yourself and give its local directory as the source.`,
      source.source,
    );
  }
  for (const field of ['ref', 'repo_path'] as const) {
    if (source[field] != null) throw new PluginError(`Plugin ${source.source}: "${field}" is only for git sources; remove it for a local directory.`, source.source);
  }
  return isAbsolute(source.source) ? source.source : resolve(workspace, source.source);
}

/** Reads a plugin directory (I/O at the edge); anything wrong in it is a `PluginError` naming the file. */
export async function loadPlugin(source: PluginSource, workspace: string): Promise<Plugin> {
  const dir = pluginDirectory(source, workspace);
  const isDirectory = await stat(dir).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new PluginError(`Plugin directory ${dir} does not exist (or is not a directory); give the path of a plugin directory.`, dir);

  let name = basename(dir);
  for (const file of MANIFEST_FILES) {
    const manifest = await readJson(dir, file);
    if (manifest === null) continue;
    name = parsed(ManifestSchema, manifest, dir, file).name ?? name;
    break;
  }
  let skills: Skill[];
  try {
    skills = await readSkillDirectory(dir, SKILLS_DIRECTORY);
  } catch (error) {
    if (!(error instanceof TroupeError)) throw error;
    throw new PluginError(`Plugin ${dir}: ${error.message}`, join(dir, SKILLS_DIRECTORY), { cause: error });
  }
  const mcpJson = await readJson(dir, MCP_FILE);
  const hooksJson = await readJson(dir, HOOKS_FILE);
  const plugin: Plugin = { name, path: dir, skills: skills.map((skill) => ({ ...skill, source: `${name}:${skill.source ?? skill.name}` })) };
  if (mcpJson !== null) {
    const config = parsed(McpConfigSchema, mcpJson, dir, MCP_FILE);
    plugin.mcpConfig = { mcpServers: Object.fromEntries(Object.entries(config.mcpServers).map(([server, value]) => [server, withSkillRoot(value, dir)])) };
  }
  if (hooksJson !== null) plugin.hookConfig = parsed(HookConfigSchema, hooksJson, dir, HOOKS_FILE);
  return plugin;
}

/** Reads plugins in order. */
export async function loadPlugins(sources: readonly PluginSource[], workspace: string): Promise<Plugin[]> {
  const plugins: Plugin[] = [];
  for (const source of sources) plugins.push(await loadPlugin(source, workspace));
  return plugins;
}
