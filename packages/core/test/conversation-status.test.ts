import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

function statuses(events: { kind: string; key?: string; value?: unknown }[]): unknown[] {
  return events.filter((e) => e.kind === 'ConversationStateUpdateEvent' && e.key === 'execution_status').map((e) => e.value);
}

describe('status machine', () => {
  it('idle → running → finished on a text reply; run() on finished returns at once', async () => {
    const c = createConversation(mockLLM(server), []);
    server.setScript(c.runtime.id, [mock.text('Hello there.')]);
    expect(c.runtime.status).toBe('idle');
    await c.runtime.sendMessage('Hi');
    expect(await c.runtime.run()).toBe('finished');
    expect(statuses(c.events)).toEqual(['running', 'finished']);
    const requestsBefore = server.requestsFor(c.runtime.id).length;
    expect(await c.runtime.run()).toBe('finished');
    expect(server.requestsFor(c.runtime.id).length).toBe(requestsBefore);
  });

  it('finished → idle on a new message, then runs again', async () => {
    const c = createConversation(mockLLM(server), []);
    server.setScript(c.runtime.id, [mock.text('One.'), mock.text('Two.')]);
    await c.runtime.sendMessage('first');
    await c.runtime.run();
    await c.runtime.sendMessage('second');
    expect(c.runtime.status).toBe('idle');
    expect(await c.runtime.run()).toBe('finished');
    const last = server.requestsFor(c.runtime.id).at(-1)!;
    expect(JSON.stringify(last.body.messages)).toContain('second');
  });

  it('a second run() joins the first instead of starting another loop', async () => {
    const c = createConversation(mockLLM(server), [echoTool()]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'a' }, { latencyMs: 50 }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    const [a, b] = await Promise.all([c.runtime.run(), c.runtime.run()]);
    expect(a).toBe('finished');
    expect(b).toBe('finished');
    expect(server.requestsFor(c.runtime.id)).toHaveLength(2);
  });

  it('max iterations → error with a MaxIterationsReached event; run() continues', async () => {
    const c = createConversation(mockLLM(server), [echoTool()], { maxIterationsPerRun: 2, stuckDetection: false });
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: '1' }),
      mock.toolCall('echo', { text: '2' }),
      mock.finish('done'),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('error');
    const error = c.events.find((e) => e.kind === 'ConversationErrorEvent');
    expect(error).toMatchObject({ code: 'MaxIterationsReached' });
    expect(await c.runtime.run()).toBe('finished');
  });

  it('finishing on the last allowed iteration keeps finished', async () => {
    const c = createConversation(mockLLM(server), [echoTool()], { maxIterationsPerRun: 2 });
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: '1' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(c.events.some((e) => e.kind === 'ConversationErrorEvent')).toBe(false);
  });

  it('the cost budget stops the run with MaxBudgetReached', async () => {
    const llm = mockLLM(server, { inputCostPerToken: 0.001, outputCostPerToken: 0.002 });
    const c = createConversation(llm, [echoTool()], { maxCost: 0.05 });
    const usage = { prompt_tokens: 20, completion_tokens: 10 }; // $0.04 per call
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: '1' }, { usage }),
      mock.toolCall('echo', { text: '2' }, { usage }),
      mock.toolCall('echo', { text: '3' }, { usage }),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('error');
    expect(c.events.find((e) => e.kind === 'ConversationErrorEvent')).toMatchObject({ code: 'MaxBudgetReached' });
    expect(server.requestsFor(c.runtime.id)).toHaveLength(2);
  });

  it('a failed model call ends the run in error with the typed error as code', async () => {
    const c = createConversation(mockLLM(server, { maxRetries: 1 }), []);
    server.setScript(c.runtime.id, [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 500 }, { type: 'http_error', status: 500 }] }]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('error');
    expect(c.events.find((e) => e.kind === 'ConversationErrorEvent')).toMatchObject({ code: 'LLMError' });
    expect(c.runtime.snapshot().lastError?.code).toBe('LLMError');
  });
});

describe('pause', () => {
  it('pause before run is reset by run()', async () => {
    const c = createConversation(mockLLM(server), []);
    server.setScript(c.runtime.id, [mock.text('ok')]);
    await c.runtime.sendMessage('hi');
    await c.runtime.pause();
    expect(c.runtime.status).toBe('paused');
    expect(await c.runtime.run()).toBe('finished');
  });

  it('pause during a tool lets it finish and stops at the boundary with exactly one PauseEvent', async () => {
    const calls: string[] = [];
    const c = createConversation(mockLLM(server), [echoTool(calls, { delayMs: 100 })]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'slow' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    const run = c.runtime.run();
    await server.waitForRequests(1, { conversationId: c.runtime.id });
    await Promise.all([c.runtime.pause(), c.runtime.pause()]);
    expect(await run).toBe('paused');
    expect(calls).toEqual(['slow']);
    expect(c.kinds().filter((k) => k === 'PauseEvent')).toHaveLength(1);
    expect(c.kinds().includes('ObservationEvent')).toBe(true);
    expect(server.requestsFor(c.runtime.id)).toHaveLength(1);
    expect(await c.runtime.run()).toBe('finished');
  });

  it('pause during a slow model call: the call completes, no further call is made', async () => {
    const c = createConversation(mockLLM(server), [echoTool()]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'x' }, { latencyMs: 150 }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    const run = c.runtime.run();
    await server.waitForRequests(1, { conversationId: c.runtime.id });
    await c.runtime.pause();
    expect(await run).toBe('paused');
    expect(server.requestsFor(c.runtime.id).map((r) => r.outcome)).toEqual(['replied']);
  });
});

describe('interrupt', () => {
  it('aborts an in-flight model request; run() resumes', async () => {
    const c = createConversation(mockLLM(server), []);
    server.setScript(c.runtime.id, [{ ...mock.text('after resume'), faults: [{ type: 'hang' }] }]);
    await c.runtime.sendMessage('go');
    const run = c.runtime.run();
    await server.waitForRequests(1, { conversationId: c.runtime.id });
    await c.runtime.interrupt();
    expect(await run).toBe('paused');
    expect(c.kinds()).toContain('InterruptEvent');
    await expect.poll(() => server.requestsFor(c.runtime.id)[0]?.outcome).toBe('aborted');
    expect(await c.runtime.run()).toBe('finished');
  });

  it('aborts a running tool and records an error result for it', async () => {
    const c = createConversation(mockLLM(server), [echoTool([], { delayMs: 30_000 })]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'long' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    const run = c.runtime.run();
    await expect.poll(() => c.kinds().includes('ActionEvent')).toBe(true);
    await c.runtime.interrupt();
    expect(await run).toBe('paused');
    const error = c.runtime.events.find((e) => e.kind === 'AgentErrorEvent');
    expect(error).toMatchObject({ tool_name: 'echo' });
    expect(await c.runtime.run()).toBe('finished');
  });
});

describe('messages while running', () => {
  it('a message sent during the final step is still answered', async () => {
    const c = createConversation(mockLLM(server), []);
    server.setScript(c.runtime.id, [mock.text('first answer', { latencyMs: 100 }), mock.text('second answer')]);
    await c.runtime.sendMessage('first');
    const run = c.runtime.run();
    await server.waitForRequests(1, { conversationId: c.runtime.id });
    const ack = await c.runtime.sendMessage('late message');
    expect(ack.queued).toBe(true);
    expect(await run).toBe('finished');
    const requests = server.requestsFor(c.runtime.id);
    expect(requests).toHaveLength(2);
    expect(JSON.stringify(requests[1]!.body.messages)).toContain('late message');
    expect(c.runtime.events.filter((e) => e.kind === 'MessageEvent' && e.source === 'user').map((e) => e.id)).toContain(ack.id);
  });

  it('a message sent mid-run is in the very next model request', async () => {
    const c = createConversation(mockLLM(server), [echoTool([], { delayMs: 50 })]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'a' }), mock.finish('done')]);
    await c.runtime.sendMessage('start');
    const run = c.runtime.run();
    await server.waitForRequests(1, { conversationId: c.runtime.id });
    await c.runtime.sendMessage('also this');
    await run;
    const second = server.requestsFor(c.runtime.id)[1]!;
    expect(JSON.stringify(second.body.messages.at(-1))).toContain('also this');
  });
});
