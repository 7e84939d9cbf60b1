import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type Event, type HookConfigInput, type HookExecutionEvent } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const terminalAgent = () => mockAgent(server, [{ name: 'terminal' }]);
const hookRuns = (events: readonly Event[]) => events.filter((event): event is HookExecutionEvent => event.kind === 'HookExecutionEvent');

const BLOCK_RM: HookConfigInput = {
  PreToolUse: [{ matcher: 'terminal', hooks: [{ type: 'command', command: `grep -q '"command":"rm ' && { echo 'rm is not allowed here' >&2; exit 2; }; exit 0` }] }],
};

describe('hooks in a Conversation (worker thread)', () => {
  it('a PreToolUse hook that blocks rm stops the terminal rm -rf: the file survives, blockedActions names it, also after resume', async () => {
    const workspace = tempDir();
    const persistenceDir = tempDir();
    mkdirSync(join(workspace, 'data'));
    writeFileSync(join(workspace, 'data', 'keep.txt'), 'precious');
    const conversation = supervisor.conversation({ agent: terminalAgent(), workspace, persistenceDir, hookConfig: BLOCK_RM });
    server.setScript(conversation.id, [mock.toolCall('terminal', { command: 'rm -rf data' }), mock.finish('done')]);
    await conversation.sendMessage('clean up');
    expect(await conversation.run()).toBe('finished');
    expect(readFileSync(join(workspace, 'data', 'keep.txt'), 'utf8')).toBe('precious');
    const events = await conversation.getEvents();
    const rm = events.find((event) => event.kind === 'ActionEvent')!;
    expect(conversation.state.blockedActions).toEqual({ [rm.id]: 'rm is not allowed here' });
    expect(events.find((event) => event.kind === 'UserRejectObservation')).toMatchObject({ action_id: rm.id, rejection_source: 'hook' });
    expect(hookRuns(events)[0]).toMatchObject({ hook_event_type: 'PreToolUse', blocked: true, hook_input: { tool_input: { kind: 'TerminalAction', command: 'rm -rf data' } } });
    await conversation.close();

    const resumed = supervisor.conversation({ agent: terminalAgent(), workspace, persistenceDir, conversationId: conversation.id });
    await resumed.ready();
    expect(resumed.state.blockedActions).toEqual({ [rm.id]: 'rm is not allowed here' });
    expect(resumed.state.hookConfig?.pre_tool_use).toHaveLength(1);
    expect(hookRuns(await resumed.getEvents())).toHaveLength(1);
    await resumed.close();
  });

  it('a UserPromptSubmit hook blocks a message: the model never sees it, blockedMessages names it', async () => {
    const conversation = supervisor.conversation({
      agent: terminalAgent(),
      workspace: tempDir(),
      hookConfig: { UserPromptSubmit: [{ hooks: [{ command: `grep -q 'drop table' && { echo 'destructive request' >&2; exit 2; }; exit 0` }] }] },
    });
    server.setScript(conversation.id, [mock.finish('ok')]);
    const ack = await conversation.sendMessage('please drop table users');
    expect(await conversation.run()).toBe('finished');
    expect(server.requestsFor(conversation.id)).toHaveLength(0);
    expect(conversation.state.blockedMessages).toEqual({ [ack.id]: 'destructive request' });
    await conversation.close();
  });

  it('a Stop hook that blocks makes the agent take one more step', async () => {
    const workspace = tempDir();
    const conversation = supervisor.conversation({
      agent: terminalAgent(),
      workspace,
      hookConfig: { Stop: [{ hooks: [{ command: `[ -f once ] && exit 0; touch once; echo '{"decision":"deny","reason":"write NOTES.md first"}'` }] }] },
    });
    server.setScript(conversation.id, [mock.finish('done'), mock.toolCall('terminal', { command: 'echo notes > NOTES.md' }), mock.finish('done, with notes')]);
    await conversation.sendMessage('work');
    expect(await conversation.run()).toBe('finished');
    expect(existsSync(join(workspace, 'NOTES.md'))).toBe(true);
    expect(JSON.stringify(server.requestsFor(conversation.id)[1]!.body.messages)).toContain('[Stop hook feedback] write NOTES.md first');
    await conversation.close();
  });

  it('an invalid hookConfig is a ConfigError naming the field, before any thread work', () => {
    expect(() => supervisor.conversation({ agent: terminalAgent(), hookConfig: { PreToolUse: [{ hooks: [{ type: 'agent' } as never] }] } })).toThrow(ConfigError);
    expect(() => supervisor.conversation({ agent: terminalAgent(), hookConfig: { OnLunch: [] } as never })).toThrow(/OnLunch/);
  });
});
