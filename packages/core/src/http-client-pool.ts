import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';
import { Agent as HttpAgent, fetch as undiciFetch } from 'undici';
import { OpenAIChatTransport } from './openai-chat-transport.js';
import { missingKeyError, type ProviderRoute, routeApiKey } from './provider-routing.js';

/** What a pooled client is made with, besides its endpoint and key. */
export interface ClientOptions {
  timeoutMs: number;
  maxConnections: number;
}

const clients = new Map<string, unknown>();

/*
 * The SDK packages are imported on first use (`import()` loads a module once): each costs every
 * thread that loads it megabytes of heap (Anthropic's 5.5 MB, OpenAI's 2 MB), and most threads never
 * need one (OpenAI-compatible chat goes through the lean transport). The error classes come from
 * their small `/error` entries.
 */

/**
 * One client per endpoint, key and protocol in each thread, shared by its conversations: a
 * keep-alive pool of at most `maxConnections` sockets, so 10,000 conversations need no 10,000
 * sockets. The SDKs never retry: the LLM does.
 */
function pooled<C>(kind: string, parts: readonly unknown[], options: ClientOptions, make: () => C): C {
  const key = [kind, ...parts, options.timeoutMs, options.maxConnections].join('\u0000');
  let client = clients.get(key) as C | undefined;
  if (client === undefined) {
    client = make();
    clients.set(key, client);
  }
  return client;
}

/** An SDK's `fetch`: undici's, on a dispatcher of its own. */
function pooledFetch(options: ClientOptions): typeof globalThis.fetch {
  const dispatcher = new HttpAgent({ connections: options.maxConnections });
  return ((url: string, init?: Record<string, unknown>) => undiciFetch(url, { ...init, dispatcher } as never)) as unknown as typeof fetch;
}

export async function openAIClientFor(baseUrl: string, apiKey: string, options: ClientOptions): Promise<OpenAI> {
  const { OpenAI } = await import('openai');
  return pooled('openai', [baseUrl, apiKey], options, () => new OpenAI({ apiKey, baseURL: baseUrl, timeout: options.timeoutMs, maxRetries: 0, fetch: pooledFetch(options) }));
}

/**
 * Azure OpenAI: `baseUrl` is the resource (`https://name.openai.azure.com`) or a URL under its
 * `/openai` path (a deployment URL included); the model name is the deployment.
 */
export async function azureClientFor(baseUrl: string, apiKey: string, apiVersion: string, options: ClientOptions): Promise<OpenAI> {
  const { AzureOpenAI } = await import('openai');
  const where = baseUrl.includes('/openai') ? { baseURL: baseUrl } : { endpoint: baseUrl };
  return pooled('azure', [baseUrl, apiKey, apiVersion], options, () => new AzureOpenAI({ apiKey, ...where, apiVersion, timeout: options.timeoutMs, maxRetries: 0, fetch: pooledFetch(options) }));
}

/**
 * `baseUrl` as the SDK takes it: the origin, to which it appends `/v1/messages`. Its own logging is
 * off: a garbled stream is the LLM's retried error, not a console line.
 */
export async function anthropicClientFor(baseUrl: string, apiKey: string, options: ClientOptions): Promise<Anthropic> {
  const { Anthropic } = await import('@anthropic-ai/sdk');
  return pooled('anthropic', [baseUrl, apiKey], options, () => new Anthropic({ apiKey, baseURL: baseUrl, timeout: options.timeoutMs, maxRetries: 0, fetch: pooledFetch(options), logLevel: 'off' }));
}

function keyFor(route: ProviderRoute, explicitKey: string | undefined): string {
  const apiKey = routeApiKey(route, explicitKey, process.env);
  if (!apiKey) throw missingKeyError(route);
  return apiKey;
}

/** The OpenAI client of a route (Azure's for `azure/`), with the route's key; a missing key is a `ConfigError`. */
export function openAIClientForRoute(route: ProviderRoute, explicitKey: string | undefined, options: ClientOptions): Promise<OpenAI> {
  const apiKey = keyFor(route, explicitKey);
  if (route.provider === 'azure') return azureClientFor(route.baseUrl, apiKey, route.apiVersion!, options);
  return openAIClientFor(route.baseUrl, apiKey, options);
}

/**
 * The lean Chat Completions transport of an OpenAI-compatible route, with the route's key (Azure's
 * deployments, paths and `api-key` header stay with its SDK client: `openAIClientForRoute`).
 */
export function openAIChatTransportForRoute(route: ProviderRoute, explicitKey: string | undefined, options: ClientOptions): OpenAIChatTransport {
  const apiKey = keyFor(route, explicitKey);
  return pooled('openai-chat', [route.baseUrl, apiKey], options, () => new OpenAIChatTransport(route.baseUrl, apiKey, { ...options, env: process.env }));
}

/** The Anthropic client of a route. Its base URL may end in `/v1` (as the OpenAI-compatible one does): the SDK gets the origin. */
export function anthropicClientForRoute(route: ProviderRoute, explicitKey: string | undefined, options: ClientOptions): Promise<Anthropic> {
  return anthropicClientFor(route.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, ''), keyFor(route, explicitKey), options);
}
