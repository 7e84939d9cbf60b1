import { ConfigError } from './errors.js';
import { providerPrefix } from './model-name.js';
import { bareModelProvider, CUSTOM_ENDPOINT_OPTIONS, PROVIDERS, type ProviderApi, type ProviderOption } from './provider-table.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Azure's default `api-version` when neither `apiVersion` nor `AZURE_API_VERSION` is set (the latest GA). */
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';

export interface ProviderRoute {
  /** The provider of the name (`openai`, `anthropic`, …); an unknown prefix as it is; null for a bare name sent to a base URL. */
  provider: string | null;
  /** The model name to send to the endpoint. */
  model: string;
  baseUrl: string;
  needsKey: boolean;
  /** The provider's own key variables, in the order they are read (before `LLM_API_KEY`). */
  keyVariables: readonly string[];
  /** The wire protocol the request goes out in. */
  api: ProviderApi;
  /** Which of the options that not every provider takes this one does. */
  options: ReadonlySet<ProviderOption>;
  /** The provider's name for `seed`, when it has another one. */
  seedParameter?: string;
  /** Azure: the `api-version` query parameter. */
  apiVersion?: string;
}

export interface RouteOptions {
  /** `auto`: the provider's native API; `chat`: OpenAI Chat Completions (Anthropic's OpenAI-compatible endpoint); `responses`: OpenAI's Responses API. */
  apiMode?: 'auto' | 'chat' | 'responses';
  /** Azure's `api-version`. */
  apiVersion?: string;
  /** Where key and endpoint variables are read (the LLM passes `process.env`). */
  env?: Env;
}

/**
 * Resolves a LiteLLM-style name to an endpoint. A known provider's prefix is stripped (and the
 * provider's model-name rule applied); an explicit `baseUrl` always wins. A bare name resolves as
 * LiteLLM does (`gpt-*`, `o*` → openai, `claude-*` → anthropic, `gemini-*` → gemini) unless a
 * `baseUrl` is given: then it, like a name with an unknown prefix, is sent there as it is.
 */
export function routeModel(model: string, baseUrl?: string, options: RouteOptions = {}): ProviderRoute {
  const env = options.env ?? {};
  const prefix = providerPrefix(model);
  const known = prefix === null ? undefined : PROVIDERS[prefix];
  const bare = prefix === null && baseUrl === undefined ? bareModelProvider(model) : undefined;
  const provider = known ? prefix! : bare;
  const spec = provider === undefined ? undefined : PROVIDERS[provider];
  const apiFor = (native: ProviderApi): ProviderApi =>
    options.apiMode === 'responses' ? 'openai-responses' : options.apiMode === 'chat' ? 'openai-chat' : native;

  if (spec === undefined || provider === undefined) {
    if (baseUrl) return { provider: prefix, model, baseUrl, needsKey: false, keyVariables: [], api: apiFor('openai-chat'), options: CUSTOM_ENDPOINT_OPTIONS };
    throw new ConfigError(
      `Cannot route model "${model}": use "provider/model" with a known provider (${Object.keys(PROVIDERS).join(', ')}), ` +
        'a bare gpt-*, o*, claude-* or gemini-* name, or pass baseUrl (LLM_BASE_URL) for any OpenAI-compatible endpoint.',
    );
  }
  const name = known ? model.slice(prefix!.length + 1) : model;
  const endpoint = baseUrl ?? firstSet(env, spec.baseUrlVariables ?? []) ?? spec.baseUrl;
  if (endpoint === undefined) {
    const variables = spec.baseUrlVariables?.length ? ` or set ${spec.baseUrlVariables.join(' or ')}` : '';
    throw new ConfigError(`Provider "${provider}" has no public endpoint: pass baseUrl (LLM_BASE_URL)${variables} for model "${model}".`);
  }
  return {
    provider,
    model: spec.modelName ? spec.modelName(name) : name,
    baseUrl: endpoint,
    needsKey: spec.needsKey,
    keyVariables: spec.keyVariables,
    api: apiFor(spec.api),
    options: spec.options,
    ...(spec.seedParameter === undefined ? {} : { seedParameter: spec.seedParameter }),
    ...(provider === 'azure' ? { apiVersion: options.apiVersion ?? env.AZURE_API_VERSION ?? AZURE_DEFAULT_API_VERSION } : {}),
  };
}

/**
 * The key for a route: the explicit one, else the provider's own variable, else `LLM_API_KEY`;
 * a provider that needs none gets a placeholder. Undefined when a needed key is missing.
 */
export function routeApiKey(route: ProviderRoute, explicit: string | undefined, env: Env): string | undefined {
  return explicit ?? firstSet(env, route.keyVariables) ?? firstSet(env, ['LLM_API_KEY']) ?? (route.needsKey ? undefined : 'not-needed');
}

/** The error for a missing key, naming every variable that would do. */
export function missingKeyError(route: ProviderRoute): ConfigError {
  const own = route.keyVariables.length > 0 ? ` (${route.provider} also reads ${route.keyVariables.join(' or ')})` : '';
  return new ConfigError(`LLM_API_KEY is not set; set it or pass apiKey to the LLM${own}.`);
}

function firstSet(env: Env, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
