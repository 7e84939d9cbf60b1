import { ConfigError } from './errors.js';

interface Provider {
  baseUrl: string;
  /** Whether the provider needs an API key (a local Ollama does not). */
  needsKey: boolean;
}

/** Known providers of the LiteLLM-style `provider/model` names, by their OpenAI-compatible endpoint. */
const PROVIDERS: Record<string, Provider> = {
  openai: { baseUrl: 'https://api.openai.com/v1', needsKey: true },
  anthropic: { baseUrl: 'https://api.anthropic.com/v1/', needsKey: true },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', needsKey: true },
  ollama: { baseUrl: 'http://localhost:11434/v1', needsKey: false },
};

export interface ProviderRoute {
  provider: string | null;
  /** The model name to send to the endpoint. */
  model: string;
  baseUrl: string;
  needsKey: boolean;
}

/**
 * Resolves `provider/model` to an endpoint. A known provider's prefix is stripped; an explicit
 * `baseUrl` always wins. With an unknown provider the full name is sent to `baseUrl` as it is
 * (e.g. a LiteLLM proxy expects `litellm_proxy/...` names).
 */
export function routeModel(model: string, baseUrl?: string): ProviderRoute {
  const slash = model.indexOf('/');
  const prefix = slash > 0 ? model.slice(0, slash) : null;
  const provider = prefix !== null ? PROVIDERS[prefix] : undefined;
  if (provider && prefix !== null) {
    return { provider: prefix, model: model.slice(slash + 1), baseUrl: baseUrl ?? provider.baseUrl, needsKey: provider.needsKey };
  }
  if (baseUrl) return { provider: prefix, model, baseUrl, needsKey: false };
  throw new ConfigError(
    `Cannot route model "${model}": use "provider/model" with a known provider (${Object.keys(PROVIDERS).join(', ')}) or pass baseUrl (LLM_BASE_URL) for any OpenAI-compatible endpoint.`,
  );
}
