import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentConfigSchema, defineTool, type Event, type HookConfigInput, type HookExecutionEvent, openPersistedRuntime } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, mockLLM, tempDir, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

/** A terminal-like tool that really runs its command in the workspace. */
const shellTool = defineTool({
  name: 'terminal',
  description: 'Runs a shell command.',
  parameters: z.object({ command: z.string() }),
  execute: ({ command }, { workspace }) => execFileSync('/bin/sh', ['-c', command], { cwd: workspace, encoding: 'utf8' }),
});

const hookEvents = (events: readonly Event[]) => events.filter((event): event is HookExecutionEvent => event.kind === 'HookExecutionEvent');

/** A workspace with a file the agent will try to delete, and the hook scripts. */
function workspaceWithData(): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'keep.txt'), 'precious');
  return dir;
}

const BLOCK_RM: HookConfigInput = {
  PreToolUse: [{ matcher: 'terminal', hooks: [{ type: 'command', command: `grep -q '"command":"rm ' && { echo 'rm is not allowed here' >&2; exit 2; }; exit 0`, timeout: 10 }] }],
};

describe('PreToolUse hooks', () => {
  it('a hook that blocks rm stops the rm -rf call: the file survives, the model is told why, blocked_actions names the action', async () => {
    const workspace = workspaceWithData();
    const c = createConversation(mockLLM(server), [shellTool], { workspace, hookConfig: BLOCK_RM });
    server.setScript(c.runtime.id, [mock.toolCall('terminal', { command: 'rm -rf data' }), mock.toolCall('terminal', { command: 'ls data' }), mock.finish('done')]);
    await c.runtime.sendMessage('clean up');
    expect(await c.runtime.run()).toBe('finished');

    expect(readFileSync(join(workspace, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    const actions = c.runtime.events.filter((event) => event.kind === 'ActionEvent');
    const rm = actions[0]!;
    const rejection = c.runtime.events.find((event) => event.kind === 'UserRejectObservation');
    expect(rejection).toMatchObject({ action_id: rm.id, rejection_source: 'hook', rejection_reason: 'rm is not allowed here' });
    expect(c.runtime.snapshot().blockedActions).toEqual({ [rm.id]: 'rm is not allowed here' });
    // The allowed command ran, and its hook run is recorded too.
    const ls = c.runtime.events.find((event) => event.kind === 'ObservationEvent' && event.tool_name === 'terminal');
    expect(JSON.stringify(ls)).toContain('keep.txt');
    const runs = hookEvents(c.runtime.events).filter((event) => event.hook_event_type === 'PreToolUse');
    expect(runs.map((event) => [event.action_id, event.blocked, event.exit_code])).toEqual([[rm.id, true, 2], [actions[1]!.id, false, 0]]);
    // A defineTool tool's action is OpenHands' MCPToolAction, its arguments in `data`.
    expect(runs[0]!.hook_input).toMatchObject({ tool_name: 'terminal', tool_input: { kind: 'MCPToolAction', data: { command: 'rm -rf data' } } });
    expect(JSON.stringify(server.requestsFor(c.runtime.id)[1]!.body.messages)).toContain('Action rejected: rm is not allowed here');
  });

  it('a hook that fails (exit 1) or times out is logged and never blocks; a timed-out hook is killed with the processes it started', async () => {
    const workspace = tempDir();
    const pidFile = join(workspace, 'child.pid');
    const c = createConversation(mockLLM(server), [shellTool], {
      workspace,
      hookConfig: {
        PreToolUse: [
          { matcher: '*', hooks: [{ command: 'echo broken >&2; exit 1' }] },
          { matcher: 'terminal', hooks: [{ command: `sleep 30 & echo $! > ${pidFile}; wait`, timeout: 1 }] },
        ],
      },
    });
    server.setScript(c.runtime.id, [mock.toolCall('terminal', { command: 'echo ran > out.txt' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(readFileSync(join(workspace, 'out.txt'), 'utf8')).toBe('ran\n');
    const runs = hookEvents(c.runtime.events);
    // The finish call runs the * hook too.
    expect(runs.map((event) => [event.tool_name, event.success, event.blocked, event.exit_code])).toEqual([['terminal', false, false, 1], ['terminal', false, false, -1], ['finish', false, false, 1]]);
    expect(runs[1]!.error).toMatch(/timed out after 1 seconds/);
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => isAlive(childPid)).toBe(false);
  });

  it('an interrupt kills a running hook: the action never runs and the conversation is paused', async () => {
    const workspace = tempDir();
    const pidFile = join(workspace, 'hook.pid');
    const c = createConversation(mockLLM(server), [shellTool], {
      workspace,
      hookConfig: { PreToolUse: [{ matcher: 'terminal', hooks: [{ command: `sleep 60 & echo $! > ${pidFile}; wait`, timeout: 600 }] }] },
    });
    server.setScript(c.runtime.id, [mock.toolCall('terminal', { command: 'touch ran.txt' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    const run = c.runtime.run();
    await expect.poll(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '').toBe(true);
    await c.runtime.interrupt();
    expect(await run).toBe('paused');
    expect(existsSync(join(workspace, 'ran.txt'))).toBe(false);
    await expect.poll(() => isAlive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
    expect(hookEvents(c.runtime.events)[0]).toMatchObject({ success: false, blocked: false, error: expect.stringMatching(/interrupted/) });
    expect(c.runtime.events.find((event) => event.kind === 'AgentErrorEvent')).toMatchObject({ tool_name: 'terminal' });
  });

  it('the hook gets the event on stdin and the secrets in its environment; what is recorded is masked', async () => {
    const workspace = tempDir();
    const c = createConversation(mockLLM(server), [shellTool], {
      workspace,
      secrets: { DEPLOY_TOKEN: 'tok-very-secret-123' },
      hookConfig: { PreToolUse: [{ matcher: 'terminal', hooks: [{ command: 'cat > stdin.json; echo "token=$DEPLOY_TOKEN tool=$OPENHANDS_TOOL_NAME"' }] }] },
    });
    server.setScript(c.runtime.id, [mock.toolCall('terminal', { command: 'true' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    const stdin = JSON.parse(readFileSync(join(workspace, 'stdin.json'), 'utf8'));
    expect(stdin).toMatchObject({ event_type: 'PreToolUse', tool_name: 'terminal', tool_input: { data: { command: 'true' } }, session_id: c.runtime.id, working_dir: workspace });
    const run = hookEvents(c.runtime.events)[0]!;
    expect(run.stdout).toBe('token=<secret-hidden> tool=terminal\n');
    expect(JSON.stringify(c.runtime.events)).not.toContain('tok-very-secret-123');
  });
});

describe('UserPromptSubmit hooks', () => {
  it('a blocking hook keeps the message from the model: no model call, recorded in blocked_messages; later messages go through without it', async () => {
    const c = createConversation(mockLLM(server), [], {
      hookConfig: { UserPromptSubmit: [{ hooks: [{ command: `grep -q password && { echo '{"decision":"deny","reason":"no credentials in prompts"}'; exit 0; }; echo '{"additionalContext":"house rule: be brief"}'` }] }] },
    });
    server.setScript(c.runtime.id, [mock.finish('hello back')]);
    const blocked = await c.runtime.sendMessage('my password is hunter2');
    expect(await c.runtime.run()).toBe('finished');
    expect(server.requestsFor(c.runtime.id)).toHaveLength(0);
    expect(c.runtime.snapshot().blockedMessages).toEqual({ [blocked.id]: 'no credentials in prompts' });
    const run = hookEvents(c.runtime.events)[0]!;
    expect(run).toMatchObject({ hook_event_type: 'UserPromptSubmit', blocked: true, message_id: blocked.id, hook_input: { message: 'my password is hunter2' } });

    await c.runtime.sendMessage('hello');
    expect(await c.runtime.run()).toBe('finished');
    const sent = JSON.stringify(server.requestsFor(c.runtime.id)[0]!.body.messages);
    expect(sent).not.toContain('hunter2');
    expect(sent).toContain('hello');
    expect(sent).toContain('house rule: be brief');
  });
});

describe('Stop hooks', () => {
  it('a Stop hook that blocks makes the agent take one more step with its reason as feedback', async () => {
    const workspace = tempDir();
    // Blocks the first stop only: the marker file says it has blocked once.
    const c = createConversation(mockLLM(server), [], {
      workspace,
      hookConfig: { Stop: [{ hooks: [{ command: `[ -f stopped-once ] && exit 0; touch stopped-once; echo 'run the tests before you stop' >&2; exit 2` }] }] },
    });
    server.setScript(c.runtime.id, [mock.finish('first done'), mock.finish('tests pass, done')]);
    await c.runtime.sendMessage('work');
    expect(await c.runtime.run()).toBe('finished');
    const requests = server.requestsFor(c.runtime.id);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]!.body.messages)).toContain('[Stop hook feedback] run the tests before you stop');
    expect(hookEvents(c.runtime.events).map((event) => event.blocked)).toEqual([true, false]);
    const statuses = c.runtime.events.flatMap((event) => (event.kind === 'ConversationStateUpdateEvent' && event.key === 'execution_status' ? [event.value] : []));
    expect(statuses).toEqual(['running', 'finished']);
  });

  it('a Stop hook that always blocks ends at the iteration limit, not in a loop', async () => {
    const c = createConversation(mockLLM(server), [], { maxIterationsPerRun: 3, hookConfig: { Stop: [{ hooks: [{ command: 'exit 2' }] }] } });
    server.setScript(c.runtime.id, [mock.finish('a'), mock.finish('b'), mock.finish('c'), mock.finish('d')]);
    await c.runtime.sendMessage('work');
    expect(await c.runtime.run()).toBe('error');
    expect(c.runtime.snapshot().lastError?.code).toBe('MaxIterationsReached');
    expect(server.requestsFor(c.runtime.id)).toHaveLength(3);
  });
});

describe('PostToolUse, SessionStart and SessionEnd hooks', () => {
  it('PostToolUse sees the observation and its context reaches the model; session hooks run at the first message and at close', async () => {
    const workspace = tempDir();
    const c = createConversation(mockLLM(server), [shellTool], {
      workspace,
      hookConfig: {
        PostToolUse: [{ matcher: 'terminal', hooks: [{ command: `cat > post.json; echo '{"additionalContext":"note: output checked by the linter"}'` }] }],
        SessionStart: [{ hooks: [{ command: 'echo start >> session.log' }] }],
        SessionEnd: [{ hooks: [{ command: 'echo end >> session.log' }] }],
      },
    });
    server.setScript(c.runtime.id, [mock.toolCall('terminal', { command: 'echo hi' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    expect(JSON.parse(readFileSync(join(workspace, 'post.json'), 'utf8'))).toMatchObject({ event_type: 'PostToolUse', tool_response: { kind: 'MCPToolObservation' } });
    const toolMessage = server.requestsFor(c.runtime.id)[1]!.body.messages.find((message: { role: string }) => message.role === 'tool');
    expect(JSON.stringify(toolMessage)).toContain('note: output checked by the linter');
    expect(readFileSync(join(workspace, 'session.log'), 'utf8')).toBe('start\n');
    await c.runtime.close();
    expect(readFileSync(join(workspace, 'session.log'), 'utf8')).toBe('start\nend\n');
    expect(hookEvents(c.runtime.events).map((event) => event.hook_event_type)).toEqual(['SessionStart', 'PostToolUse', 'SessionEnd']);
  });
});

describe('hooks and persistence', () => {
  it('hook events, the blocked lists and the hooks themselves survive resume', async () => {
    const dir = tempDir();
    const workspace = workspaceWithData();
    const agent = AgentConfigSchema.parse({ llm: { model: 'openai/mock-model' } });
    const id = 'hooks-resume';
    const first = await openPersistedRuntime({ id, conversationDir: join(dir, id), agent, llm: mockLLM(server), tools: [shellTool], workspace, hookConfig: BLOCK_RM });
    server.setScript(id, [mock.toolCall('terminal', { command: 'rm -rf data' }), mock.finish('done'), mock.toolCall('terminal', { command: 'rm -rf data' }), mock.finish('done again')]);
    await first.runtime.sendMessage('clean');
    await first.runtime.run();
    const blocked = first.runtime.snapshot().blockedActions;
    await first.runtime.close();

    const second = await openPersistedRuntime({ id, conversationDir: join(dir, id), agent, llm: mockLLM(server), tools: [shellTool], workspace });
    expect(second.resumed).toBe(true);
    expect(second.runtime.snapshot().blockedActions).toEqual(blocked);
    expect(hookEvents(second.runtime.events)).toHaveLength(1);
    // The stored hooks still run: the second rm is blocked too.
    await second.runtime.sendMessage('clean again');
    await second.runtime.run();
    expect(Object.keys(second.runtime.snapshot().blockedActions)).toHaveLength(2);
    expect(existsSync(join(workspace, 'data', 'keep.txt'))).toBe(true);
    await second.runtime.close();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
