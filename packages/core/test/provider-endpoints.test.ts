import { afterEach, describe, expect, it, vi } from 'vitest';
import { LLM, textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));
afterEach(() => vi.unstubAllEnvs());

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

/** Over real HTTP: each provider's request carries its model name and the key from its own variable. */
describe('provider endpoints', () => {
  it.each([
    ['openai/gpt-4.1', 'OPENAI_API_KEY', 'gpt-4.1'],
    ['gemini/gemini-2.5-flash', 'GEMINI_API_KEY', 'gemini-2.5-flash'],
    ['groq/llama-3.3-70b-versatile', 'GROQ_API_KEY', 'llama-3.3-70b-versatile'],
    ['xai/grok-4', 'XAI_API_KEY', 'grok-4'],
    ['fireworks_ai/qwen3-coder-480b-a35b-instruct', 'FIREWORKS_AI_API_KEY', 'accounts/fireworks/models/qwen3-coder-480b-a35b-instruct'],
    ['litellm_proxy/anthropic/claude-sonnet-4-5', 'LITELLM_PROXY_API_KEY', 'anthropic/claude-sonnet-4-5'],
  ])('%s sends model %s with the key of %s', async (model, variable, sent) => {
    vi.stubEnv('LLM_API_KEY', 'generic-key');
    vi.stubEnv(variable, `${variable}-value`);
    const id = `endpoint-${model}`;
    server.setScript(id, [mock.text('ok')]);
    await new LLM({ model, baseUrl: server.url, retryMinDelayMs: 5 }).complete({ messages: hello, tools: [], conversationId: id });
    const [record] = server.requestsFor(id);

    expect(record!.body.model).toBe(sent);
    expect(record!.headers.authorization).toBe(`Bearer ${variable}-value`);
  });

  it('sends the Anthropic key from ANTHROPIC_API_KEY in x-api-key to the native endpoint', async () => {
    vi.stubEnv('ANTHROPIC_API_KEY', 'sk-ant-env');
    server.setScript('endpoint-anthropic', [mock.text('ok')]);
    await new LLM({ model: 'anthropic/claude-sonnet-4-5', baseUrl: server.url }).complete({ messages: hello, tools: [], conversationId: 'endpoint-anthropic' });
    const [record] = server.requestsFor('endpoint-anthropic');

    expect(record).toMatchObject({ api: 'anthropic', path: '/v1/messages' });
    expect(record!.anthropic).toMatchObject({ apiKey: 'sk-ant-env', request: { model: 'claude-sonnet-4-5' } });
  });

  it('reaches an Azure deployment with its api-version and the api-key header', async () => {
    vi.stubEnv('AZURE_API_KEY', 'azure-key');
    vi.stubEnv('AZURE_API_BASE', server.anthropicUrl);
    server.setScript('endpoint-azure', [mock.text('ok')]);
    await new LLM({ model: 'azure/my-gpt-4o', apiVersion: '2025-04-01-preview' }).complete({ messages: hello, tools: [], conversationId: 'endpoint-azure' });
    const [record] = server.requestsFor('endpoint-azure');

    expect(record!.path).toBe('/openai/deployments/my-gpt-4o/chat/completions?api-version=2025-04-01-preview');
    expect(record!.headers['api-key']).toBe('azure-key');
    expect(record!.headers.authorization).toBeUndefined();
  });
});
