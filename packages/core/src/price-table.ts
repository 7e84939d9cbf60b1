/** USD per million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
}

/**
 * Built-in prices of common models (USD per 1M tokens). A model name matches an entry exactly or
 * by the longest entry it starts with, so dated names (`claude-sonnet-4-20250514`) find their family.
 */
const PRICES: Record<string, ModelPrice> = {
  'gpt-4o': { input: 2.5, output: 10, cacheRead: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cacheRead: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cacheRead: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cacheRead: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cacheRead: 0.025 },
  'gpt-5': { input: 1.25, output: 10, cacheRead: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cacheRead: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cacheRead: 0.005 },
  o3: { input: 2, output: 8, cacheRead: 0.5 },
  'o4-mini': { input: 1.1, output: 4.4, cacheRead: 0.275 },
  'claude-opus-4': { input: 15, output: 75, cacheRead: 1.5 },
  'claude-sonnet-4': { input: 3, output: 15, cacheRead: 0.3 },
  'claude-3-7-sonnet': { input: 3, output: 15, cacheRead: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cacheRead: 0.1 },
  'claude-3-5-haiku': { input: 0.8, output: 4, cacheRead: 0.08 },
  'deepseek-chat': { input: 0.27, output: 1.1, cacheRead: 0.07 },
};

const KEYS_LONGEST_FIRST = Object.keys(PRICES).sort((a, b) => b.length - a.length);

/** The price of `model` (with or without a provider prefix), or undefined when unknown. */
export function lookupPrice(model: string): ModelPrice | undefined {
  const name = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  const exact = PRICES[name];
  if (exact) return exact;
  const family = KEYS_LONGEST_FIRST.find((key) => name.startsWith(key));
  return family ? PRICES[family] : undefined;
}
