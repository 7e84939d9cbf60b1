import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '../src/index.js';
import { mock, type MockServer, type MockTurn } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const failing = defineTool({
  name: 'fail',
  description: 'Always fails.',
  parameters: z.object({ n: z.number() }),
  execute: () => {
    throw new Error('nope');
  },
});

async function runScript(script: MockTurn[], tools = [echoTool(), failing]) {
  const c = createConversation(mockLLM(server), tools, { maxIterationsPerRun: 50 });
  server.setScript(c.runtime.id, script);
  await c.runtime.sendMessage('go');
  const status = await c.runtime.run();
  const error = c.runtime.events.find((e) => e.kind === 'ConversationErrorEvent');
  return { c, status, error };
}

describe('stuck detection', () => {
  it('repeating action and observation (4×) → stuck, naming the pattern', async () => {
    const { status, error } = await runScript(Array.from({ length: 6 }, () => mock.toolCall('echo', { text: 'same' })));
    expect(status).toBe('stuck');
    expect(error).toMatchObject({ code: 'Stuck', detail: expect.stringMatching(/^repeating_action_observation: /) });
  });

  it('repeating action error: a nudge after the 3rd failure, stuck after the 4th', async () => {
    const { c, status, error } = await runScript(Array.from({ length: 6 }, () => mock.toolCall('fail', { n: 1 })));
    expect(status).toBe('stuck');
    expect(error).toMatchObject({ code: 'Stuck', detail: expect.stringMatching(/^repeating_action_error: /) });
    const nudges = c.runtime.events.filter((e) => e.kind === 'MessageEvent' && e.source === 'environment');
    expect(nudges).toHaveLength(1);
    expect(JSON.stringify(nudges[0])).toContain('3 times in a row');
    expect(server.requestsFor(c.runtime.id)).toHaveLength(4);
  });

  it('monologue: three replies without action → stuck', async () => {
    const { status, error } = await runScript([mock.empty(), mock.empty(), mock.empty(), mock.empty()]);
    expect(status).toBe('stuck');
    expect(error).toMatchObject({ code: 'Stuck', detail: expect.stringMatching(/^monologue: /) });
  });

  it('alternating between two actions → stuck', async () => {
    const script = Array.from({ length: 8 }, (_, i) => mock.toolCall('echo', { text: i % 2 === 0 ? 'ping' : 'pong' }));
    const { status, error } = await runScript(script);
    expect(status).toBe('stuck');
    expect(error).toMatchObject({ code: 'Stuck', detail: expect.stringMatching(/^alternating_action_observation: /) });
  });

  it('a user message resets the window; run() after stuck recovers', async () => {
    const script = [...Array.from({ length: 4 }, () => mock.toolCall('echo', { text: 'same' })), mock.finish('better now')];
    const { c, status } = await runScript(script);
    expect(status).toBe('stuck');
    await c.runtime.sendMessage('try something else');
    expect(c.runtime.status).toBe('idle');
    expect(await c.runtime.run()).toBe('finished');
  });

  it('can be switched off', async () => {
    const c = createConversation(mockLLM(server), [echoTool()], { stuckDetection: false, maxIterationsPerRun: 6 });
    server.setScript(c.runtime.id, Array.from({ length: 6 }, () => mock.toolCall('echo', { text: 'same' })));
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('error');
  });
});
