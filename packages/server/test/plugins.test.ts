import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mock, type MockServer } from '@troupe/core/testing';
import { describe, expect, it } from 'vitest';
import { nextRelease, tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
useTestServer({ idleReleaseMs: 150 }, (context) => {
  ({ llm, server } = context);
});

/** The test plugin of @troupe/workers: a skill (trigger `shipit`), an MCP server (the test server over stdio) and a PreToolUse hook that blocks rm. */
const samplePlugin = fileURLToPath(new URL('../../workers/test/fixtures/sample-plugin', import.meta.url));

describe('plugins on POST /api/conversations', () => {
  it('are honoured: the skill activates, the MCP tool answers, the hook blocks rm; ConversationInfo lists them, not_applied does not', async () => {
    const id = 'plugins-1';
    const workspace = tempDir();
    mkdirSync(join(workspace, 'data'));
    writeFileSync(join(workspace, 'data', 'keep.txt'), 'precious');
    llm.setScript(id, [mock.toolCall('echo', { text: 'over the wire' }), mock.toolCall('terminal', { command: 'rm -rf data' }), mock.finish('done')]);
    const created = await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm, [{ name: 'TerminalTool' }]),
      workspace: { working_dir: workspace },
      conversation_id: id,
      plugins: [{ source: samplePlugin, ref: null, repo_path: null }],
      initial_message: userMessage('shipit: release it', true),
    });
    expect(created.status).toBe(201);
    expect(created.body.plugins).toEqual([{ source: samplePlugin, ref: null, repo_path: null }]);
    expect(JSON.stringify(created.body.not_applied)).not.toContain('plugins');
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');

    expect(JSON.stringify(llm.requestsFor(id)[0]!.body.messages)).toContain('Release checklist of the sample plugin');
    const events = (await server.api('GET', `/api/conversations/${id}/events/search?limit=100`)).body.items;
    expect(events.find((event: any) => event.kind === 'ObservationEvent').observation).toMatchObject({ kind: 'MCPToolObservation', is_error: false, content: [{}, { text: 'echo: over the wire' }] });
    expect(readFileSync(join(workspace, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    const rm = events.filter((event: any) => event.kind === 'ActionEvent')[1];
    const info = (await server.api('GET', `/api/conversations/${id}`)).body;
    expect(info.blocked_actions).toEqual({ [rm.id]: 'the sample plugin forbids rm' });

    // OpenHands' load_plugin takes a marketplace reference: refused (400) as one it cannot resolve; 404 for an unknown conversation.
    const load = await server.api('POST', `/api/conversations/${id}/load_plugin`, { plugin_ref: 'tools@market' });
    expect(load.status).toBe(400);
    expect(load.body.detail).toMatch(/no marketplaces.*"plugins"/);
    expect((await server.api('POST', '/api/conversations/no-such-conversation/load_plugin', { plugin_ref: 'tools@market' })).status).toBe(404);
  });

  it('a conversation released when idle is reopened with its plugins: the MCP tool and the hook still work', async () => {
    const id = 'plugins-reopen';
    const workspace = tempDir();
    writeFileSync(join(workspace, 'keep.txt'), 'precious');
    llm.setScript(id, [mock.finish('first'), mock.toolCall('echo', { text: 'again' }), mock.toolCall('terminal', { command: 'rm -f keep.txt' }), mock.finish('second')]);
    const released = nextRelease(server, id);
    const created = await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm, [{ name: 'TerminalTool' }]),
      workspace: { working_dir: workspace },
      conversation_id: id,
      plugins: [{ source: samplePlugin }],
      initial_message: userMessage('one', true),
    });
    expect(created.status).toBe(201);
    await released;
    expect((await server.api('POST', `/api/conversations/${id}/events`, userMessage('two', true))).status).toBe(200);
    const observations = async () =>
      ((await server.api('GET', `/api/conversations/${id}/events/search?limit=100`)).body.items as any[]).filter((event) => event.kind === 'ObservationEvent').map((event) => event.observation);
    await expect.poll(async () => (await observations()).length, { timeout: 10_000 }).toBe(3);
    const [, echo, second] = await observations();
    expect(echo).toMatchObject({ kind: 'MCPToolObservation', is_error: false, content: [{}, { text: 'echo: again' }] });
    expect(second).toMatchObject({ kind: 'FinishObservation', content: [{ text: 'second' }] });
    expect(readFileSync(join(workspace, 'keep.txt'), 'utf8')).toBe('precious');
    expect((await server.api('GET', `/api/conversations/${id}`)).body.blocked_actions).not.toEqual({});
  });

  it('a git source is a 422 saying it needs a network; a bad entry is a 422 naming its field', async () => {
    const create = (plugins: unknown) => server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, plugins });
    const git = await create([{ source: 'github:owner/plugin', ref: 'v1.0.0' }]);
    expect(git.status).toBe(422);
    expect(git.body.detail).toMatch(/needs a network/);
    const bad = await create([{ path: samplePlugin }]);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body.detail)).toContain('plugins');
  });
});
