import { describe, expect, it } from 'vitest';
import { ASK_AGENT_USAGE_ID } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 2 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const lastUserText = (body: { messages: { role: string; content: unknown }[] }) => JSON.stringify(body.messages.filter((message) => message.role === 'user').at(-1)?.content);

describe('askAgent', () => {
  it("answers over the conversation's context without adding an event or changing the status", async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    server.setScript(conversation.id, [mock.finish('wrote hello.py'), mock.text('I wrote hello.py.')]);
    await conversation.sendMessage('write hello.py');
    expect(await conversation.run()).toBe('finished');
    const before = await conversation.getEvents();

    expect(await conversation.askAgent('What did you do?')).toBe('I wrote hello.py.');
    expect(await conversation.getEvents()).toEqual(before);
    expect(conversation.status).toBe('finished');
    const [, asked] = server.requestsFor(conversation.id);
    // The context the next step would send (system prompt, the task, the finish call and its result), then the question.
    expect(JSON.stringify(asked!.body.messages)).toContain('write hello.py');
    expect(asked!.body.messages.some((message: { tool_calls?: unknown[] }) => message.tool_calls?.length)).toBe(true);
    expect(lastUserText(asked!.body)).toContain('What did you do?');
    expect(Object.keys(conversation.stats.usage_to_metrics)).toContain(ASK_AGENT_USAGE_ID);
    await conversation.close();
  });

  it('is answered while the conversation runs, and the run goes on untouched', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    // The run's first model call hangs (attempt 0 of turn 0); the question, sent meanwhile with the same context, is attempt 1.
    server.setScript(conversation.id, [{ ...mock.text('Still thinking about the task.'), faults: [{ type: 'hang' }] }]);
    await conversation.sendMessage('a long task');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    const eventCount = conversation.state.eventCount;

    expect(await conversation.askAgent('How far are you?')).toBe('Still thinking about the task.');
    expect(conversation.status).toBe('running');
    expect(conversation.state.eventCount).toBe(eventCount);
    expect(server.requestsFor(conversation.id).map((request) => request.outcome)).toEqual(['pending', 'replied']);

    await conversation.interrupt();
    expect(await run).toBe('paused');
    expect(await conversation.run()).toBe('finished');
    const messages = (await conversation.getEvents()).filter((event) => event.kind === 'MessageEvent').map((event) => event.source);
    expect(messages).toEqual(['user', 'agent']);
    await conversation.close();
  });
});
