import { modelFamilyKey, providerPrefix } from './model-name.js';

/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Input read from the prompt cache; the input price when absent. */
  cacheRead?: number;
  /** Input written to the prompt cache (Anthropic: 1.25x input for the 5-minute cache); the input price when absent. */
  cacheWrite?: number;
}

const anthropic = (input: number, output: number): ModelPrice => ({ input, output, cacheRead: input / 10, cacheWrite: input * 1.25 });

/**
 * Built-in list prices of current models (USD per 1M tokens, standard tier, prompts under 200k
 * tokens). Keys are family names as `modelFamilyKey` spells them (dots as dashes); a key
 * `provider/name` holds a price that differs by host (open models on groq, cerebras, …). A model
 * matches its key exactly or by the longest key it starts with, so dated names find their family.
 */
const PRICES: Record<string, ModelPrice> = {
  // Anthropic
  'claude-opus-4-5': anthropic(5, 25),
  'claude-opus-4': anthropic(15, 75),
  'claude-sonnet-4': anthropic(3, 15),
  'claude-3-7-sonnet': anthropic(3, 15),
  'claude-haiku-4-5': anthropic(1, 5),
  'claude-3-5-haiku': anthropic(0.8, 4),
  // OpenAI (cache writes cost nothing extra)
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4-1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4-1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4-1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-1': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  o1: { input: 15, output: 60, cacheRead: 7.5 },
  o3: { input: 2, output: 8, cacheRead: 0.5 },
  'o3-pro': { input: 20, output: 80 },
  'o3-mini': { input: 1.1, output: 4.4, cacheRead: 0.55 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
  'gpt-oss-120b': { input: 0.15, output: 0.6 },
  'gpt-oss-20b': { input: 0.05, output: 0.2 },
  // Google (implicit caching: reads at a quarter or a tenth, no write charge)
  'gemini-3-pro': { input: 2, output: 12, cacheRead: 0.2 },
  'gemini-2-5-pro': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gemini-2-5-flash': { input: 0.3, output: 2.5, cacheRead: 0.03 },
  'gemini-2-5-flash-lite': { input: 0.1, output: 0.4, cacheRead: 0.01 },
  'gemini-2-0-flash': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  // DeepSeek (V3.2: one price for chat and reasoner)
  'deepseek-chat': { input: 0.28, output: 0.42, cacheRead: 0.028 },
  'deepseek-reasoner': { input: 0.28, output: 0.42, cacheRead: 0.028 },
  // Mistral
  'mistral-large': { input: 2, output: 6 },
  'mistral-medium': { input: 0.4, output: 2 },
  'mistral-small': { input: 0.1, output: 0.3 },
  codestral: { input: 0.3, output: 0.9 },
  'devstral-medium': { input: 0.4, output: 2 },
  'devstral-small': { input: 0.1, output: 0.3 },
  // xAI
  'grok-4': { input: 3, output: 15, cacheRead: 0.75 },
  'grok-4-fast': { input: 0.2, output: 0.5, cacheRead: 0.05 },
  'grok-code-fast': { input: 0.2, output: 1.5, cacheRead: 0.02 },
  'grok-3': { input: 3, output: 15, cacheRead: 0.75 },
  'grok-3-mini': { input: 0.3, output: 0.5, cacheRead: 0.075 },
  // Open models by host
  'groq/llama-3-3-70b-versatile': { input: 0.59, output: 0.79 },
  'groq/llama-3-1-8b-instant': { input: 0.05, output: 0.08 },
  'groq/gpt-oss-120b': { input: 0.15, output: 0.75 },
  'groq/gpt-oss-20b': { input: 0.1, output: 0.5 },
  'groq/kimi-k2-instruct': { input: 1, output: 3 },
  'groq/qwen3-32b': { input: 0.29, output: 0.59 },
  'cerebras/llama-3-3-70b': { input: 0.85, output: 1.2 },
  'cerebras/llama3-1-8b': { input: 0.1, output: 0.1 },
  'cerebras/gpt-oss-120b': { input: 0.25, output: 0.69 },
  'cerebras/qwen-3-32b': { input: 0.4, output: 0.8 },
  'cerebras/qwen-3-coder-480b': { input: 2, output: 2 },
  'together_ai/llama-3-3-70b-instruct-turbo': { input: 0.88, output: 0.88 },
  'together_ai/deepseek-v3': { input: 1.25, output: 1.25 },
  'together_ai/qwen3-coder-480b-a35b-instruct-fp8': { input: 2, output: 2 },
  'together_ai/gpt-oss-120b': { input: 0.15, output: 0.6 },
  'fireworks_ai/llama-v3p3-70b-instruct': { input: 0.9, output: 0.9 },
  'fireworks_ai/deepseek-v3': { input: 0.9, output: 0.9 },
  'fireworks_ai/qwen3-coder-480b-a35b-instruct': { input: 0.45, output: 1.8 },
  'fireworks_ai/gpt-oss-120b': { input: 0.15, output: 0.6 },
  'fireworks_ai/kimi-k2-instruct': { input: 0.6, output: 2.5 },
};

const KEYS_LONGEST_FIRST = Object.keys(PRICES).sort((a, b) => b.length - a.length);

function find(name: string): ModelPrice | undefined {
  const exact = PRICES[name];
  if (exact) return exact;
  const family = KEYS_LONGEST_FIRST.find((key) => name.startsWith(key));
  return family ? PRICES[family] : undefined;
}

/** The price of `model` (with or without a provider prefix), or undefined when unknown. */
export function lookupPrice(model: string): ModelPrice | undefined {
  const family = modelFamilyKey(model);
  const provider = providerPrefix(model);
  return (provider === null ? undefined : find(`${provider}/${family}`)) ?? find(family);
}
