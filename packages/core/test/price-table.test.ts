import { describe, expect, it } from 'vitest';
import { LLM, lookupPrice } from '../src/index.js';

/** The built-in prices: current models of every provider Troupe routes, cache prices included. */
describe('price table', () => {
  it.each([
    ['anthropic/claude-sonnet-4-5', { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }],
    ['anthropic/claude-opus-4-5', { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
    ['claude-haiku-4-5-20251001', { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }],
    ['openai/gpt-5.1', { input: 1.25, output: 10, cacheRead: 0.125 }],
    ['azure/gpt-4.1-mini', { input: 0.4, output: 1.6, cacheRead: 0.1 }],
    ['gemini/gemini-2.5-pro', { input: 1.25, output: 10, cacheRead: 0.125 }],
    ['openrouter/google/gemini-2.5-flash', { input: 0.3, output: 2.5, cacheRead: 0.03 }],
    ['deepseek/deepseek-reasoner', { input: 0.28, output: 0.42, cacheRead: 0.028 }],
    ['mistral/mistral-large-latest', { input: 2, output: 6 }],
    ['xai/grok-4-0709', { input: 3, output: 15, cacheRead: 0.75 }],
    ['groq/openai/gpt-oss-120b', { input: 0.15, output: 0.75 }],
    ['cerebras/gpt-oss-120b', { input: 0.25, output: 0.69 }],
    ['together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo', { input: 0.88, output: 0.88 }],
    ['fireworks_ai/accounts/fireworks/models/kimi-k2-instruct', { input: 0.6, output: 2.5 }],
  ])('%s', (model, price) => {
    expect(lookupPrice(model)).toEqual(price);
  });

  it('prices cache writes at their own price and at the input price where the model has none', () => {
    const usage = { prompt_tokens: 3_000_000, completion_tokens: 0, cache_read_tokens: 1_000_000, cache_write_tokens: 1_000_000, reasoning_tokens: 0 };
    expect(new LLM({ model: 'anthropic/claude-sonnet-4-5', apiKey: 'k' }).costOf(usage)).toBeCloseTo(3 + 3.75 + 0.3);
    expect(new LLM({ model: 'openai/gpt-4o', apiKey: 'k' }).costOf(usage)).toBeCloseTo(2.5 + 2.5 + 1.25);
    expect(new LLM({ model: 'openai/gpt-4o', apiKey: 'k', cacheWriteCostPerToken: 0 }).costOf(usage)).toBeCloseTo(2.5 + 1.25);
  });
});
