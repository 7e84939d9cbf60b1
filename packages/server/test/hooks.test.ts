import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent, LLM } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { RemoteConversation } from '@troupe/server';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
const root = tempDir();
useTestServer({ workspaceRoots: [root] }, (context) => {
  ({ llm, server } = context);
});

const waitForStatus = (id: string, status: string) =>
  expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status, { timeout: 10_000 }).toBe(status);

/** As OpenHands' client writes it: `HookConfig.model_dump()` (snake_case, every field of a definition). */
const blockRm = {
  pre_tool_use: [
    {
      matcher: 'terminal',
      hooks: [{ type: 'command', name: null, command: `grep -q '"command":"rm ' && { echo 'rm is not allowed here' >&2; exit 2; }; exit 0`, prompt: null, system_prompt: null, tools: [], timeout: 60, max_iterations: 3, async_: false }],
    },
  ],
  post_tool_use: [],
  user_prompt_submit: [],
  session_start: [],
  session_end: [],
  stop: [],
};

describe('hooks through the agent server', () => {
  it('hook_config is honoured: a PreToolUse hook stops the terminal rm -rf, blocked_actions names it, not_applied no longer lists it', async () => {
    const id = 'hooks-rm';
    const workspace = tempDir();
    mkdirSync(join(workspace, 'data'));
    writeFileSync(join(workspace, 'data', 'keep.txt'), 'precious');
    llm.setScript(id, [mock.toolCall('terminal', { command: 'rm -rf data' }), mock.finish('done')]);
    const created = await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm, [{ name: 'TerminalTool' }]),
      workspace: { working_dir: workspace },
      conversation_id: id,
      hook_config: blockRm,
      initial_message: userMessage('clean up'),
    });
    expect(created.status).toBe(201);
    expect(created.body.not_applied.map((entry: { field: string }) => entry.field)).not.toContain('hook_config');
    expect(created.body.hook_config.pre_tool_use[0]).toMatchObject({ matcher: 'terminal', hooks: [{ type: 'command', timeout: 60 }] });
    await waitForStatus(id, 'finished');
    expect(readFileSync(join(workspace, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    const events = (await server.api('GET', `/api/conversations/${id}/events/search?limit=100`)).body.items;
    const rm = events.find((event: { kind: string }) => event.kind === 'ActionEvent');
    const info = (await server.api('GET', `/api/conversations/${id}`)).body;
    expect(info.blocked_actions).toEqual({ [rm.id]: 'rm is not allowed here' });
    expect(info.blocked_messages).toEqual({});
    expect(events.find((event: { kind: string }) => event.kind === 'HookExecutionEvent')).toMatchObject({ hook_event_type: 'PreToolUse', blocked: true, action_id: rm.id, exit_code: 2 });
  });

  it('a UserPromptSubmit hook blocks a message sent over the API; a Stop hook makes the agent take one more step', async () => {
    const id = 'hooks-prompt-stop';
    const workspace = tempDir();
    llm.setScript(id, [mock.finish('first'), mock.finish('second')]);
    const created = await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm),
      workspace: { working_dir: workspace },
      conversation_id: id,
      hook_config: {
        UserPromptSubmit: [{ hooks: [{ type: 'command', command: `grep -q secret-plan && { echo 'not that' >&2; exit 2; }; exit 0` }] }],
        Stop: [{ hooks: [{ type: 'command', command: `[ -f once ] && exit 0; touch once; echo 'check your work' >&2; exit 2` }] }],
      },
    });
    expect(created.status).toBe(201);
    expect((await server.api('POST', `/api/conversations/${id}/events`, userMessage('the secret-plan', true))).status).toBe(200);
    await waitForStatus(id, 'finished');
    expect(llm.requestsFor(id)).toHaveLength(0);
    const blocked = (await server.api('GET', `/api/conversations/${id}`)).body.blocked_messages;
    expect(Object.values(blocked)).toEqual(['not that']);

    await server.api('POST', `/api/conversations/${id}/events`, userMessage('do the work', true));
    // The status is still `finished` from the blocked message: wait for the Stop hook's second call.
    await expect.poll(() => llm.requestsFor(id).length, { timeout: 10_000 }).toBe(2);
    await waitForStatus(id, 'finished');
    expect(JSON.stringify(llm.requestsFor(id)[1]!.body.messages)).toContain('[Stop hook feedback] check your work');
    expect(JSON.stringify(llm.requestsFor(id)[1]!.body.messages)).not.toContain('secret-plan');
  });

  it('an invalid hook_config is a 422 naming the field', async () => {
    const response = await server.api('POST', '/api/conversations', {
      agent: wireAgent(llm),
      workspace: { working_dir: tempDir() },
      hook_config: { stop: [{ hooks: [{ type: 'prompt', prompt: 'judge it' }] }] },
    });
    expect(response.status).toBe(422);
    expect(response.body.detail[0].loc).toEqual(['body', 'hook_config', 'stop', 0, 'hooks', 0, 'type']);
  });

  it('RemoteConversation sends its hookConfig and mirrors blockedActions', async () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'keep.txt'), 'precious');
    const conversation = new RemoteConversation({
      serverUrl: server.url,
      agent: new Agent({ llm: new LLM({ model: 'openai/mock-model', baseUrl: llm.url, apiKey: 'test-key' }), tools: [{ name: 'terminal' }] }),
      workspace,
      hookConfig: { PreToolUse: [{ matcher: 'terminal', hooks: [{ command: 'exit 2' }] }] },
    });
    llm.setScript(conversation.id, [mock.toolCall('terminal', { command: 'rm keep.txt' }), mock.finish('done')]);
    await conversation.sendMessage('remove it');
    expect(await conversation.run()).toBe('finished');
    expect(existsSync(join(workspace, 'keep.txt'))).toBe(true);
    await expect.poll(() => Object.values(conversation.state.blockedActions)).toEqual(['Blocked by hook']);
    await conversation.close();
  });

  it('POST /api/hooks reads a workspace project’s .openhands/hooks.json: null without one, 422 when invalid, 403 outside the workspaces', async () => {
    const project = join(root, 'project');
    mkdirSync(join(project, '.openhands'), { recursive: true });
    expect((await server.api('POST', '/api/hooks', { project_dir: project })).body).toEqual({ hook_config: null });
    writeFileSync(join(project, '.openhands', 'hooks.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'terminal', hooks: [{ type: 'command', command: 'check.sh' }] }] } }));
    const listed = await server.api('POST', '/api/hooks', { project_dir: project });
    expect(listed.status).toBe(200);
    expect(listed.body.hook_config.pre_tool_use).toEqual([{ matcher: 'terminal', hooks: [{ type: 'command', command: 'check.sh', timeout: 60 }] }]);
    expect((await server.api('POST', '/api/hooks', {})).body).toEqual({ hook_config: null });
    writeFileSync(join(project, '.openhands', 'hooks.json'), JSON.stringify({ OnLunch: [] }));
    const invalid = await server.api('POST', '/api/hooks', { project_dir: project });
    expect(invalid.status).toBe(422);
    expect(invalid.body.detail).toMatch(/OnLunch/);
    expect((await server.api('POST', '/api/hooks', { project_dir: tempDir() })).status).toBe(403);
  });
});
