/**
 * The providers of LiteLLM-style `provider/model` names: where each one is, which environment
 * variables hold its key (and endpoint), how the model name is sent, and which options its API
 * takes. `provider-routing.ts` reads it; nothing else knows a provider by name.
 */

/** The wire protocol an endpoint speaks. */
export type ProviderApi = 'anthropic' | 'openai-chat' | 'openai-responses';

/** Options that not every provider's API takes (the rest, such as `temperature`, every one takes). */
export type ProviderOption = 'topK' | 'seed' | 'reasoningEffort' | 'responses';

export interface ProviderSpec {
  /** Its OpenAI-compatible endpoint (Anthropic: also the native one, see `anthropic-adapter.ts`); none: a base URL is required. */
  baseUrl?: string;
  /** Variables that may hold the endpoint, read when no `baseUrl` is given. */
  baseUrlVariables?: readonly string[];
  /** Variables that hold its key, in order; `LLM_API_KEY` is read after them. */
  keyVariables: readonly string[];
  /** Whether a request needs a key (a local server does not). */
  needsKey: boolean;
  /** Its native wire protocol. */
  api: 'anthropic' | 'openai-chat';
  /** Options of `ProviderOption` its API takes. */
  options: ReadonlySet<ProviderOption>;
  /** The model name to send, from the part after `provider/`. */
  modelName?: (name: string) => string;
  /** Its name for `seed`, when it has another one. */
  seedParameter?: string;
}

const takes = (...options: ProviderOption[]): ReadonlySet<ProviderOption> => new Set(options);
/** An OpenAI-compatible server that passes what it is given to whatever model it runs. */
const PASS_THROUGH = takes('topK', 'seed', 'reasoningEffort');

export const PROVIDERS: Readonly<Record<string, ProviderSpec>> = {
  openai: { baseUrl: 'https://api.openai.com/v1', keyVariables: ['OPENAI_API_KEY'], needsKey: true, api: 'openai-chat', options: takes('seed', 'reasoningEffort', 'responses') },
  anthropic: { baseUrl: 'https://api.anthropic.com/v1/', keyVariables: ['ANTHROPIC_API_KEY'], needsKey: true, api: 'anthropic', options: takes('topK') },
  gemini: {
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
    needsKey: true,
    api: 'openai-chat',
    options: takes('seed', 'reasoningEffort'),
  },
  azure: {
    baseUrlVariables: ['AZURE_API_BASE', 'AZURE_OPENAI_ENDPOINT'],
    keyVariables: ['AZURE_API_KEY', 'AZURE_OPENAI_API_KEY'],
    needsKey: true,
    api: 'openai-chat',
    options: takes('seed', 'reasoningEffort', 'responses'),
  },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', keyVariables: ['OPENROUTER_API_KEY'], needsKey: true, api: 'openai-chat', options: PASS_THROUGH },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', keyVariables: ['GROQ_API_KEY'], needsKey: true, api: 'openai-chat', options: takes('seed', 'reasoningEffort') },
  deepseek: { baseUrl: 'https://api.deepseek.com/v1', keyVariables: ['DEEPSEEK_API_KEY'], needsKey: true, api: 'openai-chat', options: takes() },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', keyVariables: ['MISTRAL_API_KEY'], needsKey: true, api: 'openai-chat', options: takes('seed'), seedParameter: 'random_seed' },
  xai: { baseUrl: 'https://api.x.ai/v1', keyVariables: ['XAI_API_KEY'], needsKey: true, api: 'openai-chat', options: takes('seed', 'reasoningEffort') },
  together_ai: {
    baseUrl: 'https://api.together.xyz/v1',
    keyVariables: ['TOGETHERAI_API_KEY', 'TOGETHER_API_KEY'],
    needsKey: true,
    api: 'openai-chat',
    options: PASS_THROUGH,
  },
  fireworks_ai: {
    baseUrl: 'https://api.fireworks.ai/inference/v1',
    keyVariables: ['FIREWORKS_AI_API_KEY', 'FIREWORKS_API_KEY'],
    needsKey: true,
    api: 'openai-chat',
    options: PASS_THROUGH,
    // Fireworks names its models by account path; a short name is one of Fireworks' own.
    modelName: (name) => (name.startsWith('accounts/') ? name : `accounts/fireworks/models/${name}`),
  },
  cerebras: { baseUrl: 'https://api.cerebras.ai/v1', keyVariables: ['CEREBRAS_API_KEY'], needsKey: true, api: 'openai-chat', options: takes('seed', 'reasoningEffort') },
  ollama: { baseUrl: 'http://localhost:11434/v1', baseUrlVariables: ['OLLAMA_API_BASE'], keyVariables: ['OLLAMA_API_KEY'], needsKey: false, api: 'openai-chat', options: PASS_THROUGH },
  lm_studio: { baseUrl: 'http://localhost:1234/v1', baseUrlVariables: ['LM_STUDIO_API_BASE'], keyVariables: ['LM_STUDIO_API_KEY'], needsKey: false, api: 'openai-chat', options: PASS_THROUGH },
  hosted_vllm: { baseUrlVariables: ['HOSTED_VLLM_API_BASE'], keyVariables: ['HOSTED_VLLM_API_KEY'], needsKey: false, api: 'openai-chat', options: PASS_THROUGH },
  litellm_proxy: {
    baseUrlVariables: ['LITELLM_PROXY_API_BASE'],
    keyVariables: ['LITELLM_PROXY_API_KEY'],
    needsKey: false,
    api: 'openai-chat',
    options: takes('topK', 'seed', 'reasoningEffort', 'responses'),
  },
};

/** What an endpoint given only by `baseUrl` (an unknown or no provider prefix) is trusted to take. */
export const CUSTOM_ENDPOINT_OPTIONS = takes('topK', 'seed', 'reasoningEffort', 'responses');

/**
 * How LiteLLM resolves a name without a provider prefix: `gpt-*`, `o1…o9*`, `chatgpt-*` go to
 * OpenAI, `claude-*` to Anthropic, `gemini-*` to Gemini.
 */
export function bareModelProvider(model: string): string | undefined {
  if (/^(gpt-|chatgpt-|o\d)/.test(model)) return 'openai';
  if (model.startsWith('claude-')) return 'anthropic';
  if (model.startsWith('gemini-')) return 'gemini';
  return undefined;
}
