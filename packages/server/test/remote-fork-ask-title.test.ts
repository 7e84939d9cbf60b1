import { describe, expect, it } from 'vitest';
import { Agent, ConfigError, LLM } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { RemoteConversation } from '@troupe/server';
import { tempDir, type TestServer, useTestServer } from './helpers.js';

const KEY = 'remote-fork-key';
let llm: MockServer;
let server: TestServer;
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY }, (context) => {
  ({ llm, server } = context);
});

const agent = (model = 'openai/mock-model') => new Agent({ llm: new LLM({ model, baseUrl: llm.url, apiKey: 'test-key', retryMinDelayMs: 5, retryMaxDelayMs: 20 }) });
const remote = (conversationId: string) => new RemoteConversation({ serverUrl: server.url, sessionApiKey: KEY, agent: agent(), workspace: tempDir(), conversationId, autoTitle: false });

describe('RemoteConversation: fork, askAgent, generateTitle', () => {
  it('fork follows a new conversation on the server with the copied events; another agent is refused', async () => {
    llm.setScript('remote-fork-src', [mock.finish('done')]);
    const source = remote('remote-fork-src');
    const first = await source.sendMessage('remote task');
    expect(await source.run()).toBe('finished');

    const fork = await source.fork({ upToEventId: first.id, title: 'Remote branch' });
    expect(fork).toBeInstanceOf(RemoteConversation);
    expect(fork.id).not.toBe(source.id);
    expect(fork.state).toMatchObject({ status: 'idle', title: 'Remote branch', forkedFromConversationId: source.id, forkedFromEventId: first.id });
    const messages = (await fork.getEvents()).filter((event) => event.kind === 'MessageEvent');
    expect(messages.map((event) => event.id)).toEqual([first.id]);
    llm.setScript(fork.id, [mock.finish('fork done')]);
    expect(await fork.run()).toBe('finished');

    await expect(source.fork({ agent: agent('openai/other') })).rejects.toThrow(ConfigError);
    await Promise.all([source.close(), fork.close()]);
  });

  it('askAgent answers through the server without adding events', async () => {
    llm.setScript('remote-ask', [mock.finish('done'), mock.text('It is done.')]);
    const conversation = remote('remote-ask');
    await conversation.sendMessage('a task');
    await conversation.run();
    const count = await conversation.countEvents({ include_state: true });
    expect(await conversation.askAgent('Is it done?')).toBe('It is done.');
    expect(await conversation.countEvents({ include_state: true })).toBe(count);
    expect(conversation.status).toBe('finished');
    await conversation.close();
  });

  it("generateTitle is written here with the handle's model (as OpenHands' client does) and set on the server", async () => {
    llm.setScript('remote-title', [mock.text('Rename the config loader')]);
    const conversation = remote('remote-title');
    await conversation.sendMessage('Please rename loadConfig to readConfig everywhere');
    expect(await conversation.generateTitle()).toBe('Rename the config loader');
    expect((await server.api('GET', '/api/conversations/remote-title')).body.title).toBe('Rename the config loader');
    expect(JSON.stringify(llm.requestsFor('remote-title')[0]!.body.messages)).toContain('rename loadConfig');

    llm.setScript('remote-title', [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 400 }] }]);
    llm.reset();
    expect(await conversation.generateTitle({ maxLength: 20 })).toBe('Please rename loa...');
    expect(conversation.state.title).toBe('Please rename loa...');
    await conversation.close();
  });
});
