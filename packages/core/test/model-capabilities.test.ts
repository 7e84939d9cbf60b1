import { describe, expect, it } from 'vitest';
import { ConfigError, IMAGE_LEFT_OUT_NOTE, modelCapabilities, textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

/** One table of what models can do; the LLM and the runtime consult it. */
describe('model capabilities', () => {
  it('knows current models by family, with or without a provider prefix or dots, and nothing of unknown ones', () => {
    expect(modelCapabilities('anthropic/claude-sonnet-4-5-20250929')).toMatchObject({ vision: true, tools: true, reasoning: 'thinking', contextWindow: 200_000, maxOutputTokens: 64_000 });
    expect(modelCapabilities('openrouter/anthropic/claude-sonnet-4.5')).toEqual(modelCapabilities('claude-sonnet-4-5'));
    expect(modelCapabilities('openai/o3-mini')).toMatchObject({ reasoning: 'effort', vision: false, samplingParams: false });
    expect(modelCapabilities('gemini-2.5-flash-lite')).toMatchObject({ reasoning: 'effort', reasoningEffortNone: true, contextWindow: 1_048_576 });
    expect(modelCapabilities('deepseek/deepseek-chat')).toMatchObject({ vision: false, reasoning: 'none' });
    expect(modelCapabilities('o1-mini')).toMatchObject({ tools: false });
    expect(modelCapabilities('ollama/qwen3')).toBeUndefined();
  });

  it('makes Anthropic requests ask for the model\'s own output limit', async () => {
    server.setScript('caps-max', [mock.text('ok')]);
    await mockLLM(server, { model: 'anthropic/claude-opus-4-1', baseUrl: server.anthropicUrl }).complete({ messages: [{ role: 'user', content: [textContent('hi')] }], tools: [], conversationId: 'caps-max' });
    expect(server.requestsFor('caps-max')[0]!.anthropic!.request!.max_tokens).toBe(32_000);
  });

  it('shows a model without vision a note instead of each image', async () => {
    const c = createConversation(mockLLM(server, { model: 'deepseek/deepseek-chat' }), [echoTool()]);
    server.setScript(c.runtime.id, [mock.text('ok')]);
    await c.runtime.sendMessage([textContent('What is in it?'), { type: 'image', image_urls: ['data:image/png;base64,AAAA'] }]);
    await c.runtime.run();
    const { messages } = server.requestsFor(c.runtime.id)[0]!.body;

    expect(JSON.stringify(messages)).not.toContain('data:image/png');
    expect(messages.at(-1)).toEqual({ role: 'user', content: `What is in it?\n${IMAGE_LEFT_OUT_NOTE}` });
  });

  it('refuses to run an agent on a model that cannot call tools', () => {
    expect(() => createConversation(mockLLM(server, { model: 'openai/o1-mini' }), [])).toThrow(ConfigError);
    expect(() => createConversation(mockLLM(server, { model: 'openai/o1-mini' }), [])).toThrow(/cannot call tools/);
  });
});
