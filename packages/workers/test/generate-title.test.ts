import { describe, expect, it } from 'vitest';
import { clampTitle, LLM } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const task = 'The login form rejects valid passwords that contain a plus sign; find out why and fix it';

describe('generateTitle', () => {
  it("sets the title the agent's model writes from the first user message", async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), autoTitle: false });
    server.setScript(conversation.id, [mock.text('🐛 Fix plus sign in login passwords')]);
    await conversation.sendMessage(task);
    expect(await conversation.generateTitle()).toBe('🐛 Fix plus sign in login passwords');
    expect(conversation.state.title).toBe('🐛 Fix plus sign in login passwords');
    const [request] = server.requestsFor(conversation.id);
    expect(JSON.stringify(request!.body.messages)).toContain('find out why and fix it');
    expect(request!.body.tools).toBeUndefined();
    expect((await conversation.getEvents()).filter((event) => event.kind === 'MessageEvent')).toHaveLength(1);
    await conversation.close();
  });

  it('uses the model it is given, and falls back to the message, cut, when the call fails', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), autoTitle: false });
    await conversation.sendMessage(task);
    server.setScript(conversation.id, [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 400, message: 'bad request' }] }]);
    expect(await conversation.generateTitle({ maxLength: 40 })).toBe(clampTitle(task, 40));
    expect(conversation.state.title).toBe(clampTitle(task, 40));

    server.setScript(conversation.id, [mock.text('Login plus-sign fix')]);
    server.reset();
    const cheaper = new LLM({ usageId: 'title', model: 'openai/cheap-model', baseUrl: server.url, apiKey: 'test-key' });
    expect(await conversation.generateTitle({ llm: cheaper })).toBe('Login plus-sign fix');
    expect(server.requestsFor(conversation.id)[0]!.body.model).toBe('cheap-model');
    expect(conversation.stats.usage_to_metrics.title).toBeDefined();
    await conversation.close();
  });
});
