import { describe, expect, it } from 'vitest';
import { AZURE_DEFAULT_API_VERSION, ConfigError, PROVIDERS, routeApiKey, routeModel } from '../src/index.js';

/** The routing table, pure: every provider's endpoint, model name, key variable and wire protocol. */

const ROUTES: Array<[name: string, endpoint: string, model: string, keyVariable: string | null, api: string]> = [
  ['openai/gpt-5', 'https://api.openai.com/v1', 'gpt-5', 'OPENAI_API_KEY', 'openai-chat'],
  ['anthropic/claude-sonnet-4-5', 'https://api.anthropic.com/v1/', 'claude-sonnet-4-5', 'ANTHROPIC_API_KEY', 'anthropic'],
  ['gemini/gemini-2.5-pro', 'https://generativelanguage.googleapis.com/v1beta/openai/', 'gemini-2.5-pro', 'GEMINI_API_KEY', 'openai-chat'],
  ['openrouter/anthropic/claude-sonnet-4.5', 'https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4.5', 'OPENROUTER_API_KEY', 'openai-chat'],
  ['groq/llama-3.3-70b-versatile', 'https://api.groq.com/openai/v1', 'llama-3.3-70b-versatile', 'GROQ_API_KEY', 'openai-chat'],
  ['deepseek/deepseek-chat', 'https://api.deepseek.com/v1', 'deepseek-chat', 'DEEPSEEK_API_KEY', 'openai-chat'],
  ['mistral/mistral-large-latest', 'https://api.mistral.ai/v1', 'mistral-large-latest', 'MISTRAL_API_KEY', 'openai-chat'],
  ['xai/grok-4', 'https://api.x.ai/v1', 'grok-4', 'XAI_API_KEY', 'openai-chat'],
  ['together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', 'https://api.together.xyz/v1', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'TOGETHERAI_API_KEY', 'openai-chat'],
  ['fireworks_ai/llama-v3p3-70b-instruct', 'https://api.fireworks.ai/inference/v1', 'accounts/fireworks/models/llama-v3p3-70b-instruct', 'FIREWORKS_AI_API_KEY', 'openai-chat'],
  ['fireworks_ai/accounts/me/models/mine', 'https://api.fireworks.ai/inference/v1', 'accounts/me/models/mine', 'FIREWORKS_AI_API_KEY', 'openai-chat'],
  ['cerebras/llama-3.3-70b', 'https://api.cerebras.ai/v1', 'llama-3.3-70b', 'CEREBRAS_API_KEY', 'openai-chat'],
  ['ollama/qwen3', 'http://localhost:11434/v1', 'qwen3', 'OLLAMA_API_KEY', 'openai-chat'],
  ['lm_studio/qwen3-coder', 'http://localhost:1234/v1', 'qwen3-coder', 'LM_STUDIO_API_KEY', 'openai-chat'],
  // Bare names, as LiteLLM resolves them.
  ['gpt-4o', 'https://api.openai.com/v1', 'gpt-4o', 'OPENAI_API_KEY', 'openai-chat'],
  ['o3-mini', 'https://api.openai.com/v1', 'o3-mini', 'OPENAI_API_KEY', 'openai-chat'],
  ['claude-haiku-4-5', 'https://api.anthropic.com/v1/', 'claude-haiku-4-5', 'ANTHROPIC_API_KEY', 'anthropic'],
  ['gemini-2.5-flash', 'https://generativelanguage.googleapis.com/v1beta/openai/', 'gemini-2.5-flash', 'GEMINI_API_KEY', 'openai-chat'],
];

describe('provider routing', () => {
  it.each(ROUTES)('%s goes to %s as %s with %s', (name, endpoint, model, keyVariable, api) => {
    const route = routeModel(name);
    expect(route).toMatchObject({ baseUrl: endpoint, model, api });
    expect(route.keyVariables[0] ?? null).toBe(keyVariable);
    expect(routeApiKey(route, undefined, { [keyVariable!]: 'own-key', LLM_API_KEY: 'generic' })).toBe('own-key');
  });

  it('reads the endpoint of azure, hosted_vllm and litellm_proxy from baseUrl or their variables, and refuses none', () => {
    expect(routeModel('azure/my-deployment', undefined, { env: { AZURE_API_BASE: 'https://res.openai.azure.com' } })).toMatchObject({
      provider: 'azure',
      baseUrl: 'https://res.openai.azure.com',
      model: 'my-deployment',
      apiVersion: AZURE_DEFAULT_API_VERSION,
      keyVariables: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'],
    });
    expect(routeModel('azure/d', 'https://x.openai.azure.com', { apiVersion: '2025-04-01-preview', env: { AZURE_API_VERSION: 'ignored' } }).apiVersion).toBe('2025-04-01-preview');
    expect(routeModel('azure/d', 'https://x.openai.azure.com', { env: { AZURE_API_VERSION: '2024-12-01-preview' } }).apiVersion).toBe('2024-12-01-preview');
    expect(routeModel('hosted_vllm/Qwen/Qwen3-32B', undefined, { env: { HOSTED_VLLM_API_BASE: 'http://gpu:8000/v1' } })).toMatchObject({ baseUrl: 'http://gpu:8000/v1', model: 'Qwen/Qwen3-32B', needsKey: false });
    expect(routeModel('litellm_proxy/anthropic/claude-sonnet-4-5', undefined, { env: { LITELLM_PROXY_API_BASE: 'https://proxy' } })).toMatchObject({
      baseUrl: 'https://proxy',
      model: 'anthropic/claude-sonnet-4-5',
      keyVariables: ['LITELLM_PROXY_API_KEY'],
      api: 'openai-chat',
    });
    for (const name of ['azure/d', 'hosted_vllm/m', 'litellm_proxy/m']) expect(() => routeModel(name)).toThrow(/has no public endpoint: pass baseUrl/);
  });

  it('lets an explicit baseUrl win, sends unknown or bare names to it as they are, and refuses what it cannot route', () => {
    expect(routeModel('openai/gpt-4o', 'http://127.0.0.1:9/v1')).toMatchObject({ baseUrl: 'http://127.0.0.1:9/v1', model: 'gpt-4o', needsKey: true });
    expect(routeModel('mock/bench-model', 'http://127.0.0.1:9/v1')).toMatchObject({ provider: 'mock', model: 'mock/bench-model', needsKey: false, keyVariables: [] });
    expect(routeModel('claude-local', 'http://127.0.0.1:9/v1')).toMatchObject({ provider: null, model: 'claude-local', api: 'openai-chat' });
    expect(() => routeModel('mystery/model')).toThrow(ConfigError);
    expect(() => routeModel('llama-3')).toThrow(/a bare gpt-\*, o\*, claude-\* or gemini-\* name/);
  });

  it('takes the key from apiKey, then the provider variable, then LLM_API_KEY; a local server needs none', () => {
    const openai = routeModel('openai/gpt-4o');
    expect(routeApiKey(openai, 'explicit', { OPENAI_API_KEY: 'own', LLM_API_KEY: 'generic' })).toBe('explicit');
    expect(routeApiKey(openai, undefined, { LLM_API_KEY: 'generic' })).toBe('generic');
    expect(routeApiKey(openai, undefined, {})).toBeUndefined();
    expect(routeApiKey(routeModel('ollama/qwen3'), undefined, {})).toBe('not-needed');
    expect(routeApiKey(routeModel('together_ai/m'), undefined, { TOGETHER_API_KEY: 'second' })).toBe('second');
  });

  it('chooses the wire protocol from apiMode: Anthropic natively or through its OpenAI-compatible endpoint', () => {
    expect(routeModel('anthropic/claude-sonnet-4-5', undefined, { apiMode: 'chat' })).toMatchObject({ api: 'openai-chat', baseUrl: 'https://api.anthropic.com/v1/' });
    expect(routeModel('openai/gpt-5', undefined, { apiMode: 'responses' }).api).toBe('openai-responses');
  });

  it('covers every provider of the table', () => {
    const routed = new Set([...ROUTES.map(([name]) => routeModel(name).provider), 'azure', 'hosted_vllm', 'litellm_proxy']);
    expect([...routed].sort()).toEqual(Object.keys(PROVIDERS).sort());
  });
});
