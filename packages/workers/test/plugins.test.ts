import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Event, type ObservationEvent, PluginError } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const samplePlugin = fileURLToPath(new URL('./fixtures/sample-plugin', import.meta.url));
const observations = (events: readonly Event[]) => events.filter((e): e is ObservationEvent => e.kind === 'ObservationEvent').map((e) => e.observation);

describe('plugins in a Conversation (worker thread)', () => {
  it('a plugin directory contributes a skill its trigger activates, an MCP server whose tool the model calls, and a hook that blocks rm', async () => {
    const workspace = tempDir();
    mkdirSync(join(workspace, 'data'));
    writeFileSync(join(workspace, 'data', 'keep.txt'), 'precious');
    const conversation = supervisor.conversation({ agent: mockAgent(server, [{ name: 'terminal' }]), workspace, plugins: [{ source: samplePlugin }] });
    server.setScript(conversation.id, [mock.toolCall('echo', { text: 'from the plugin' }), mock.toolCall('terminal', { command: 'rm -rf data' }), mock.finish('done')]);
    await conversation.sendMessage('shipit: release the project');
    expect(await conversation.run()).toBe('finished');

    // The skill: its trigger put its content into the user message the model got.
    expect(JSON.stringify(server.requestsFor(conversation.id)[0]!.body.messages)).toContain('Release checklist of the sample plugin');
    expect(conversation.state.activatedKnowledgeSkills).toContain('release');
    // The MCP server (started from the plugin's .mcp.json, ${SKILL_ROOT} expanded) answered the call.
    const events = await conversation.getEvents();
    expect(observations(events)[0]).toMatchObject({ kind: 'MCPToolObservation', is_error: false, content: [{ type: 'text' }, { type: 'text', text: 'echo: from the plugin' }] });
    // The hook (hooks/hooks.json) kept rm from running.
    expect(readFileSync(join(workspace, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    const rm = events.filter((event) => event.kind === 'ActionEvent')[1]!;
    expect(conversation.state.blockedActions).toEqual({ [rm.id]: 'the sample plugin forbids rm' });
    await conversation.close();
  });

  it('a git plugin source is refused with a PluginError saying it needs a network', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), plugins: [{ source: 'github:owner/some-plugin' }] });
    const failure = conversation.ready().then(
      () => null,
      (error: unknown) => error,
    );
    expect(await failure).toBeInstanceOf(PluginError);
    expect(String(await failure)).toMatch(/needs a network/);
    await conversation.close();
  });
});
