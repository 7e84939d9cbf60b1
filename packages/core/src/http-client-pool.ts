import OpenAI from 'openai';
import { Agent as HttpAgent, fetch as undiciFetch } from 'undici';

const clients = new Map<string, OpenAI>();

/**
 * One OpenAI client per endpoint and key in each thread, shared by its conversations: a keep-alive
 * pool of at most `maxConnections` sockets (undici's fetch with its own dispatcher), so 10,000
 * conversations need no 10,000 sockets.
 */
export function openAIClientFor(baseUrl: string, apiKey: string, options: { timeoutMs: number; maxConnections: number }): OpenAI {
  const key = [baseUrl, apiKey, options.timeoutMs, options.maxConnections].join('\u0000');
  let client = clients.get(key);
  if (!client) {
    const dispatcher = new HttpAgent({ connections: options.maxConnections });
    const fetchWithPool = ((url: string, init?: Record<string, unknown>) => undiciFetch(url, { ...init, dispatcher } as never)) as unknown as typeof fetch;
    client = new OpenAI({ apiKey, baseURL: baseUrl, timeout: options.timeoutMs, maxRetries: 0, fetch: fetchWithPool });
    clients.set(key, client);
  }
  return client;
}
