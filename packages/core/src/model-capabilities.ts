import { modelFamilyKey } from './model-name.js';

/** What a model can take and give. The LLM checks options against it; the runtime adapts what it sends. */
export interface ModelCapabilities {
  /** Accepts images in messages and tool results. */
  vision: boolean;
  /** Calls tools (function calling). */
  tools: boolean;
  /**
   * How its reasoning is steered: `effort` (`reasoning_effort`: OpenAI's reasoning models, Gemini
   * 2.5+, Grok 3 mini), `thinking` (Anthropic's extended thinking budget), `none` (not steerable).
   */
  reasoning: 'effort' | 'thinking' | 'none';
  /** `reasoningEffort: 'none'` (no reasoning at all) is allowed. */
  reasoningEffortNone: boolean;
  /** Takes `temperature`, `topP` and `stop` (OpenAI's reasoning models refuse them). */
  samplingParams: boolean;
  contextWindow: number;
  /** Most output tokens of one reply (the default `max_tokens` of Anthropic requests). */
  maxOutputTokens: number;
}

const claude = (maxOutputTokens: number, thinking = true): ModelCapabilities => ({
  vision: true,
  tools: true,
  reasoning: thinking ? 'thinking' : 'none',
  reasoningEffortNone: false,
  samplingParams: true,
  contextWindow: 200_000,
  maxOutputTokens,
});
const chat = (contextWindow: number, maxOutputTokens: number, vision = true): ModelCapabilities => ({
  vision,
  tools: true,
  reasoning: 'none',
  reasoningEffortNone: false,
  samplingParams: true,
  contextWindow,
  maxOutputTokens,
});
const reasoner = (contextWindow: number, maxOutputTokens: number, options: { vision?: boolean; none?: boolean; sampling?: boolean } = {}): ModelCapabilities => ({
  vision: options.vision ?? true,
  tools: true,
  reasoning: 'effort',
  reasoningEffortNone: options.none ?? false,
  samplingParams: options.sampling ?? false,
  contextWindow,
  maxOutputTokens,
});

/**
 * The published limits of current models, by family name (matched like the price table: exactly,
 * or by the longest family a dated or suffixed name starts with). A model not listed is unknown:
 * nothing is refused for it.
 */
const CAPABILITIES: Record<string, ModelCapabilities> = {
  'claude-opus-4-5': claude(64_000),
  'claude-opus-4': claude(32_000),
  'claude-sonnet-4-5': claude(64_000),
  'claude-sonnet-4': claude(64_000),
  'claude-haiku-4-5': claude(64_000),
  'claude-3-7-sonnet': claude(64_000),
  'claude-3-5-sonnet': claude(8_192, false),
  'claude-3-5-haiku': claude(8_192, false),
  'gpt-4o': chat(128_000, 16_384),
  'gpt-4-1': chat(1_047_576, 32_768),
  'gpt-5': reasoner(400_000, 128_000),
  'gpt-5-1': reasoner(400_000, 128_000, { none: true }),
  o1: reasoner(200_000, 100_000),
  // The first o1 releases: no tools, no reasoning_effort.
  'o1-mini': { ...chat(128_000, 65_536, false), tools: false, samplingParams: false },
  'o1-preview': { ...chat(128_000, 32_768, false), tools: false, samplingParams: false },
  o3: reasoner(200_000, 100_000),
  'o3-mini': reasoner(200_000, 100_000, { vision: false }),
  'o4-mini': reasoner(200_000, 100_000),
  'gemini-2-5-pro': reasoner(1_048_576, 65_536, { sampling: true }),
  'gemini-2-5-flash': reasoner(1_048_576, 65_536, { sampling: true, none: true }),
  'gemini-3-pro': reasoner(1_048_576, 65_536, { sampling: true }),
  'gemini-2-0-flash': chat(1_048_576, 8_192),
  'deepseek-chat': chat(128_000, 8_192, false),
  'deepseek-reasoner': { ...chat(128_000, 64_000, false), samplingParams: false },
  'grok-4': { ...chat(256_000, 256_000), samplingParams: true },
  'grok-3-mini': reasoner(131_072, 131_072, { vision: false, sampling: true }),
  'grok-3': chat(131_072, 131_072, false),
  'grok-code-fast': chat(256_000, 256_000, false),
};

const KEYS_LONGEST_FIRST = Object.keys(CAPABILITIES).sort((a, b) => b.length - a.length);

/** The capabilities of `model` (with or without a provider prefix), or undefined when it is not in the table. */
export function modelCapabilities(model: string): ModelCapabilities | undefined {
  const name = modelFamilyKey(model);
  const family = CAPABILITIES[name] !== undefined ? name : KEYS_LONGEST_FIRST.find((key) => name.startsWith(key));
  return family === undefined ? undefined : CAPABILITIES[family];
}
