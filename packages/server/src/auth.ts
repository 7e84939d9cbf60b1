import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.js';

export const SESSION_KEY_HEADER = 'x-session-api-key';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * The session API keys the server accepts (any of them, so keys can be rotated). Comparison is
 * constant-time: both sides are hashed first so their lengths never leak either.
 */
export class SessionKeys {
  readonly #digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.#digests = keys.filter((key) => key.length > 0).map(digest);
  }

  /** With no key configured the server is open (and only binds to loopback). */
  get required(): boolean {
    return this.#digests.length > 0;
  }

  accepts(candidate: string | undefined): boolean {
    if (!this.required) return true;
    if (candidate === undefined) return false;
    const candidateDigest = digest(candidate);
    let match = false;
    for (const key of this.#digests) match = timingSafeEqual(key, candidateDigest) || match;
    return match;
  }
}

/** Keys from the environment, as OpenHands reads them: `SESSION_API_KEY` and `OH_SESSION_API_KEYS_0..n`. */
export function sessionKeysFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const keys: string[] = [];
  if (env.SESSION_API_KEY) keys.push(env.SESSION_API_KEY);
  for (let index = 0; env[`OH_SESSION_API_KEYS_${index}`] !== undefined; index++) {
    const key = env[`OH_SESSION_API_KEYS_${index}`];
    if (key) keys.push(key);
  }
  return keys;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** An open server (no key) may only listen where nobody else can reach it. */
export function assertSafeBinding(host: string, keys: SessionKeys): void {
  if (!keys.required && !LOOPBACK_HOSTS.has(host) && !host.startsWith('127.')) {
    throw new Error(`Refusing to listen on ${host} without a session API key: set --session-api-key (or SESSION_API_KEY), or bind to 127.0.0.1.`);
  }
}

/** Guards `/api/*` with the `X-Session-API-Key` header (never a cookie, to keep CSRF out). */
export function installApiKeyCheck(app: FastifyInstance, keys: SessionKeys): void {
  if (!keys.required) return;
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') && request.url !== '/api') return;
    const header = request.headers[SESSION_KEY_HEADER];
    if (!keys.accepts(typeof header === 'string' ? header : undefined)) throw new HttpError(401, 'Unauthorized');
  });
}
