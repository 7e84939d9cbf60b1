import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentConfigSchema, agentFromRecord, agentToRecord, loadPlugin, mergePlugins, parseHookConfig, type Plugin, PluginError } from '../src/index.js';
import { tempDir } from './helpers.js';

/** Plugin directories read into skills, MCP servers and hooks, and merged into an agent (pure). */

function pluginDir(files: Record<string, string>, name = 'my-plugin'): string {
  const dir = join(tempDir(), name);
  mkdirSync(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const agent = (extra: Record<string, unknown> = {}) => AgentConfigSchema.parse({ llm: { model: 'openai/test' }, ...extra });
const hook = (command: string) => ({ PreToolUse: [{ matcher: 'terminal', hooks: [{ command }] }] });
const plugin = (name: string, parts: Partial<Plugin> = {}): Plugin => ({ name, path: `/plugins/${name}`, skills: [], ...parts });

async function loadError(dir: string): Promise<PluginError> {
  const error: unknown = await loadPlugin({ source: dir }, '/').then(
    () => null,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('loading a plugin directory', () => {
  it('reads its manifest name, skills, .mcp.json (${SKILL_ROOT} is its directory) and hooks/hooks.json', async () => {
    const dir = pluginDir({
      '.claude-plugin/plugin.json': JSON.stringify({ name: 'tools-plugin', version: '2.0.0' }),
      'skills/deploy/SKILL.md': '---\ntriggers: [deploy]\n---\nHow to deploy.\n',
      '.mcp.json': JSON.stringify({ mcpServers: { tools: { command: 'node', args: ['${SKILL_ROOT}/server.mjs'] } } }),
      'hooks/hooks.json': JSON.stringify({ hooks: hook('exit 0') }),
    });
    const loaded = await loadPlugin({ source: dir }, '/');
    expect(loaded.name).toBe('tools-plugin');
    expect(loaded.skills).toEqual([{ name: 'deploy', content: 'How to deploy.\n', triggers: ['deploy'], source: 'tools-plugin:skills/deploy/SKILL.md' }]);
    expect(loaded.mcpConfig).toEqual({ mcpServers: { tools: { command: 'node', args: [`${dir}/server.mjs`] } } });
    expect(loaded.hookConfig?.pre_tool_use).toMatchObject([{ matcher: 'terminal', hooks: [{ command: 'exit 0' }] }]);
  });

  it('a relative source is found from the workspace; without a manifest the name is the directory', async () => {
    const dir = pluginDir({}, 'bare');
    expect(await loadPlugin({ source: 'bare' }, join(dir, '..'))).toEqual({ name: 'bare', path: dir, skills: [] });
  });

  it('a bad file is a PluginError naming it', async () => {
    const badMcp = pluginDir({ '.mcp.json': JSON.stringify({ mcpServers: { x: { command: 'node', type: 'stdio' } } }) });
    expect((await loadError(badMcp)).file).toBe(join(badMcp, '.mcp.json'));
    const badHooks = pluginDir({ 'hooks/hooks.json': '{ not json' });
    const hooksError = await loadError(badHooks);
    expect(hooksError.file).toBe(join(badHooks, 'hooks/hooks.json'));
    expect(hooksError.message).toMatch(/not JSON/);
    const badSkill = pluginDir({ 'skills/x.md': '---\ntriggers: 3\n---\n' });
    expect((await loadError(badSkill)).message).toContain('skills/x.md');
    expect((await loadError(join(badSkill, 'missing'))).message).toMatch(/does not exist/);
  });

  it('a git source is refused: it needs a network; git-only fields on a local directory are refused by name', async () => {
    for (const source of ['github:owner/plugin', 'https://github.com/owner/plugin.git', 'git@github.com:owner/plugin.git']) {
      expect((await loadError(source)).message).toMatch(/needs a network/);
    }
    const error = await loadPlugin({ source: pluginDir({}), ref: 'v1' }, '/').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(PluginError);
    expect(String(error)).toMatch(/"ref" is only for git sources/);
  });
});

describe('merging plugins into an agent', () => {
  it('explicit hooks run before plugin hooks, plugins in order', () => {
    const merged = mergePlugins(agent(), parseHookConfig(hook('explicit')), [plugin('a', { hookConfig: parseHookConfig(hook('from-a')) }), plugin('b', { hookConfig: parseHookConfig(hook('from-b')) })]);
    expect(merged.hookConfig?.pre_tool_use.map((matcher) => matcher.hooks[0]!.command)).toEqual(['explicit', 'from-a', 'from-b']);
    expect(mergePlugins(agent(), undefined, [plugin('a')]).hookConfig).toBeUndefined();
  });

  it('skills are added (a plugin skill replaces one of its name); MCP servers are added by name', () => {
    const base = agent({ agentContext: { skills: [{ name: 'deploy', content: 'old' }, { name: 'keep', content: 'k' }] }, mcpConfig: { mcpServers: { mine: { command: 'a' } } } });
    const merged = mergePlugins(base, undefined, [
      plugin('p', { skills: [{ name: 'deploy', content: 'new', triggers: ['deploy'] }], mcpConfig: { mcpServers: { theirs: { command: 'b' } } } }),
    ]);
    expect(merged.agent.agentContext.skills.map((skill) => [skill.name, skill.content])).toEqual([
      ['deploy', 'new'],
      ['keep', 'k'],
    ]);
    expect(merged.agent.mcpConfig).toEqual({ mcpServers: { mine: { command: 'a' }, theirs: { command: 'b' } } });
    expect(base.agentContext.skills[0]!.content).toBe('old');
  });

  it('two different MCP servers of one name are a PluginError naming both; an identical one (a resume) is no clash', () => {
    const base = agent({ mcpConfig: { mcpServers: { tools: { command: 'a' } } } });
    expect(() => mergePlugins(base, undefined, [plugin('p', { mcpConfig: { mcpServers: { tools: { command: 'b' } } } })])).toThrow(
      /plugin p .*defines the MCP server "tools", which the agent defines too/i,
    );
    expect(() => mergePlugins(agent(), undefined, [plugin('p', { mcpConfig: { mcpServers: { tools: { command: 'a' } } } }), plugin('q', { mcpConfig: { mcpServers: { tools: { command: 'b' } } } })])).toThrow(
      /which plugin p defines too/,
    );
    expect(mergePlugins(base, undefined, [plugin('p', { mcpConfig: { mcpServers: { tools: { command: 'a' } } } })]).agent.mcpConfig).toEqual(base.mcpConfig);
    // A stored agent holds the plugin's server with its credentials masked: the plugin's own is used again.
    const withToken = { command: 'a', env: { API_TOKEN: 'token-value-1234' } };
    const stored = agentToRecord(agent({ mcpConfig: { mcpServers: { tools: withToken } } }));
    expect(mergePlugins(agentFromRecord(stored), undefined, [plugin('p', { mcpConfig: { mcpServers: { tools: withToken } } })]).agent.mcpConfig).toEqual({ mcpServers: { tools: withToken } });
  });
});
