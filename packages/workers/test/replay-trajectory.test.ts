import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { MockTurn } from '@troupe/core/testing';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

/** Six real responses of Claude driving OpenHands, kept in the shared fixtures (read, not copied). */
const FIXTURES = new URL('../../../../shared/fixtures/recorded-claude-trajectory/', import.meta.url);
const RECORDED_WORKSPACES = ['/Users/xingyaow/Projects/OpenHands/openhands-v1-dev/agent-sdk.worktree/telemetry', '/workspace'];

interface RecordedResponse {
  choices: { message: { content: string | null; tool_calls: { id: string; function: { name: string; arguments: string } }[] } }[];
  usage: { prompt_tokens: number; completion_tokens: number };
}

/** The recorded replies as a mock script, with the recorded absolute paths moved into `workspace`. */
function recordedScript(workspace: string): MockTurn[] {
  const files = readdirSync(FIXTURES).filter((file) => file.startsWith('litellm_proxy__')).sort();
  expect(files).toHaveLength(6);
  return files.map((file) => {
    const response = JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')).response as RecordedResponse;
    const message = response.choices[0]!.message;
    const rewrite = (text: string) => RECORDED_WORKSPACES.reduce((out, recorded) => out.split(recorded).join(workspace), text);
    return {
      reply: {
        type: 'tool_calls' as const,
        ...(message.content ? { text: rewrite(message.content) } : {}),
        calls: message.tool_calls.map((call) => ({ id: call.id, name: call.function.name, arguments: rewrite(call.function.arguments) })),
      },
      usage: { prompt_tokens: response.usage.prompt_tokens, completion_tokens: response.usage.completion_tokens },
    };
  });
}

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

// The fixtures live beside the repository (../shared), as in CI, where their absence is a failure;
// a lone clone elsewhere has none to replay and skips.
const haveFixtures = existsSync(FIXTURES);
if (!haveFixtures && !process.env.CI) console.warn(`Skipping the trajectory replay: ${FIXTURES.pathname} is not there.`);

describe.skipIf(!haveFixtures && !process.env.CI)('replay of a recorded Claude trajectory', () => {
  it('has its fixtures (in CI they must be beside the clone)', () => {
    expect(haveFixtures, `${FIXTURES.pathname} is missing: CI runs with ../shared beside the clone`).toBe(true);
  });

  it('drives the real tools in an actor to finished, and hello.py prints Hello, World!', async () => {
    const workspace = tempDir('troupe-replay-');
    const agent = mockAgent(server, [{ name: 'terminal' }, { name: 'file_editor' }], { model: 'anthropic/claude-sonnet-4-20250514' });
    const conversation = supervisor.conversation({ agent, workspace });
    server.setScript(conversation.id, recordedScript(workspace));
    await conversation.sendMessage("Hello! Can you create a new Python file named hello.py that prints 'Hello, World!'?");
    expect(await conversation.run()).toBe('finished');

    const events = await conversation.getEvents();
    const actions = events.filter((e) => e.kind === 'ActionEvent');
    expect(actions.map((a) => a.tool_name)).toEqual(['file_editor', 'terminal', 'file_editor', 'file_editor', 'terminal', 'finish']);
    const answered = new Set(events.filter((e) => e.kind === 'ObservationEvent').map((e) => e.tool_call_id));
    for (const action of actions) expect(answered.has(action.tool_call_id)).toBe(true);
    // The relative path of call 3 is refused as an error observation, not a crash.
    const third = events.find((e) => e.kind === 'ObservationEvent' && e.tool_call_id === actions[2]!.tool_call_id);
    expect(third).toMatchObject({ observation: { is_error: true } });
    expect(execFileSync('python3', ['hello.py'], { cwd: workspace, encoding: 'utf8' })).toBe('Hello, World!\n');
    expect(conversation.stats.usage_to_metrics.agent?.accumulated_token_usage.prompt_tokens).toBe(4812 + 5002 + 6123 + 6277 + 6485 + 6729);
    await conversation.close();
  });
});
