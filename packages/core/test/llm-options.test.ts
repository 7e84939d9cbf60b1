import { describe, expect, it } from 'vitest';
import { ConfigError, LLM, type LLMOptions, textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

async function bodyOf(id: string, options: Partial<LLMOptions>): Promise<Record<string, unknown>> {
  server.setScript(id, [mock.text('ok')]);
  await mockLLM(server, options).complete({ messages: hello, tools: [], conversationId: id });
  return server.requestsFor(id)[0]!.body;
}

/** Options reach the provider's request, or are refused with a ConfigError that names them. */
describe('LLM options', () => {
  it('passes topP, seed, stop, reasoning effort, extra headers and extra body to an OpenAI-compatible request', async () => {
    server.setScript('o-pass', [mock.text('ok')]);
    const llm = mockLLM(server, {
      temperature: 0.3,
      topP: 0.8,
      seed: 7,
      stop: ['END'],
      maxOutputTokens: 300,
      extraHeaders: { 'x-trace': 't-1' },
      litellmExtraBody: { metadata: { tags: ['agent'] }, return_token_ids: true },
    });
    await llm.complete({ messages: hello, tools: [], conversationId: 'o-pass' });
    const [record] = server.requestsFor('o-pass');

    expect(record!.body).toMatchObject({ temperature: 0.3, top_p: 0.8, seed: 7, stop: ['END'], max_completion_tokens: 300, metadata: { tags: ['agent'] }, return_token_ids: true });
    expect(record!.headers['x-trace']).toBe('t-1');
  });

  it('sends top_k where the server takes it and seed under the provider name for it', async () => {
    expect(await bodyOf('o-topk', { model: 'hosted_vllm/Qwen/Qwen3-32B', topK: 20 })).toMatchObject({ model: 'Qwen/Qwen3-32B', top_k: 20 });
    const mistral = await bodyOf('o-mistral', { model: 'mistral/mistral-small-latest', seed: 3 });
    expect(mistral).toMatchObject({ model: 'mistral-small-latest', random_seed: 3 });
    expect(mistral).not.toHaveProperty('seed');
  });

  it('sends nothing it was not given (the request of the defaults is unchanged)', async () => {
    expect(Object.keys(await bodyOf('o-defaults', {})).sort()).toEqual(['messages', 'model', 'stream']);
  });

  it.each<[string, Partial<LLMOptions>, RegExp]>([
    ['seed on Anthropic', { model: 'anthropic/claude-sonnet-4-5', seed: 1 }, /seed: Anthropic's Messages API has no seed/],
    ['reasoningEffort on Anthropic', { model: 'anthropic/claude-sonnet-4-5', reasoningEffort: 'high' }, /reasoningEffort: Anthropic models take extendedThinkingBudget/],
    ['a thinking budget through the OpenAI-compatible route', { model: 'anthropic/claude-sonnet-4-5', apiMode: 'chat', extendedThinkingBudget: 2048 }, /extendedThinkingBudget: only Anthropic's Messages API/],
    ['a thinking budget on OpenAI', { model: 'openai/gpt-5', extendedThinkingBudget: 2048 }, /extendedThinkingBudget/],
    ['a budget above the output limit', { model: 'anthropic/claude-sonnet-4-5', extendedThinkingBudget: 4096, maxOutputTokens: 4096 }, /extendedThinkingBudget 4096 must be below the output limit/],
    ['temperature with thinking', { model: 'anthropic/claude-sonnet-4-5', extendedThinkingBudget: 2048, temperature: 0.5 }, /temperature: with extended thinking/],
    ['topK with thinking', { model: 'anthropic/claude-sonnet-4-5', extendedThinkingBudget: 2048, topK: 5 }, /topK: Anthropic takes no topK with extended thinking/],
    ['thinking on a model without it', { model: 'anthropic/claude-3-5-haiku-20241022', extendedThinkingBudget: 2048, maxOutputTokens: 8000 }, /this model has no extended thinking/],
    ['topK on OpenAI', { model: 'openai/gpt-4o', topK: 5 }, /topK: openai takes no top_k/],
    ['seed on DeepSeek', { model: 'deepseek/deepseek-chat', seed: 5 }, /seed: deepseek takes no seed/],
    ['reasoningEffort on Mistral', { model: 'mistral/mistral-large-latest', reasoningEffort: 'low' }, /reasoningEffort: mistral takes no reasoning_effort/],
    ['reasoningEffort on a model that does not reason', { model: 'openai/gpt-4o', reasoningEffort: 'low' }, /not a reasoning model/],
    ["reasoningEffort 'none' where the model always reasons", { model: 'gemini/gemini-2.5-pro', reasoningEffort: 'none' }, /'none': this model always reasons/],
    ['temperature on an OpenAI reasoning model', { model: 'openai/o3', temperature: 0.2 }, /temperature: this reasoning model takes no sampling parameters/],
    ['the Responses API on Groq', { model: 'groq/llama-3.3-70b-versatile', apiMode: 'responses' }, /apiMode 'responses': groq does not serve/],
    ['stop on the Responses API', { model: 'openai/gpt-4.1', apiMode: 'responses', stop: ['x'] }, /stop: OpenAI's Responses API takes no stop sequences/],
    ['seed on the Responses API', { model: 'openai/gpt-4.1', apiMode: 'responses', seed: 1 }, /seed: OpenAI's Responses API takes no seed/],
    ['apiVersion outside Azure', { model: 'openai/gpt-4o', apiVersion: '2024-10-21' }, /apiVersion is Azure's api-version; openai takes none/],
    ['more output than the model gives', { model: 'openai/gpt-4o', maxOutputTokens: 100_000 }, /maxOutputTokens 100000 is above the model's limit of 16384/],
    ['an option a fallback cannot take', { model: 'openai/o3', fallbacks: [{ model: 'anthropic/claude-sonnet-4-5', apiKey: 'k', seed: 1 }] }, /claude-sonnet-4-5: seed/],
    ['an inherited option a fallback cannot take', { model: 'openai/gpt-4.1', temperature: 0.5, fallbacks: [{ model: 'openai/o3', apiKey: 'k' }] }, /o3: temperature/],
  ])('refuses %s with a ConfigError naming it', (_name, options, message) => {
    const make = () => new LLM({ apiKey: 'k', ...options });
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('accepts what the provider takes: effort on reasoning models, none where allowed, and any option for an unknown model', () => {
    expect(() => new LLM({ model: 'openai/gpt-5.1', reasoningEffort: 'none', apiKey: 'k' })).not.toThrow();
    expect(() => new LLM({ model: 'gemini/gemini-2.5-flash', reasoningEffort: 'none', apiKey: 'k' })).not.toThrow();
    expect(() => new LLM({ model: 'openai/gpt-6-preview', reasoningEffort: 'high', temperature: 0.1, apiKey: 'k' })).not.toThrow();
    expect(() => new LLM({ model: 'anthropic/claude-sonnet-4-5', extendedThinkingBudget: 2048, temperature: 1, topP: 0.95, apiKey: 'k' })).not.toThrow();
    // Provider options are each model's own: Claude thinks by budget, its OpenAI fallback by effort.
    expect(() =>
      new LLM({ model: 'anthropic/claude-sonnet-4-5', extendedThinkingBudget: 2048, apiKey: 'k', fallbacks: [{ model: 'openai/o3', reasoningEffort: 'high', apiKey: 'k' }] }),
    ).not.toThrow();
  });
});
