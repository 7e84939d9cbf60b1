import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
// The `request.ws` flag of upgrade requests.
import type {} from '@fastify/websocket';
import type { BrowserSessions } from './browser-session.js';
import { HttpError } from './http-error.js';
import { isLoopbackHost, isLoopbackHostHeader, isLoopbackOrigin } from './loopback.js';
import { requestTargetProblem } from './request-target.js';

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

/** An open server (no key) may only listen where nobody else can reach it: a loopback address, or `localhost`. */
export function assertSafeBinding(host: string, keys: SessionKeys): void {
  if (!keys.required && !isLoopbackHost(host)) {
    throw new Error(`Refusing to listen on ${host} without a session API key: set --session-api-key (or SESSION_API_KEY), or bind to 127.0.0.1.`);
  }
}

/**
 * Who may reach a route, declared on the route (`config.access`): `public` routes are open, the
 * event `socket` authenticates on its own (header, query or first frame) once upgraded, a `page`
 * of the dashboard needs the key like any other route but sends a browser without one to the login
 * form, and every other route, unmatched paths included, needs a session key.
 */
export type RouteAccess = 'public' | 'socket' | 'page';

/** Where the dashboard's login form is. */
export const LOGIN_PATH = '/login';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The checks every request passes before any handler, in order: an unambiguous target (400), on a
 * server without a key a loopback `Host` and `Origin` (403, against DNS rebinding), then the
 * session key (401) unless the route the router matched is open. Deciding by the matched route,
 * never the raw URL, means no spelling of a path (`/%61pi/...`) reaches a handler without the key.
 * The key comes in the `X-Session-API-Key` header or, from the dashboard, as a browser session
 * cookie (`BrowserSessions.authenticates`: with the server's own `Origin` on state changes).
 * Installed after the WebSocket and cookie plugins, whose own hooks mark upgrades and parse cookies.
 */
export function installRequestGuards(app: FastifyInstance, keys: SessionKeys, sessions?: BrowserSessions): void {
  app.addHook('onRequest', async (request, reply) => {
    const targetProblem = requestTargetProblem(request.raw.url ?? '');
    if (targetProblem) throw new HttpError(400, targetProblem);
    if (!keys.required) {
      const host = header(request, 'host');
      if (host === undefined || !isLoopbackHostHeader(host)) {
        throw new HttpError(403, `Host ${JSON.stringify(host ?? '')} is not a loopback name: a server without a session key answers only requests for localhost, 127.0.0.1 or [::1]; set a session key to serve other names.`);
      }
      const origin = header(request, 'origin');
      if (origin !== undefined && !isLoopbackOrigin(origin)) {
        throw new HttpError(403, `Origin ${JSON.stringify(origin)} is not a loopback origin: a server without a session key answers only pages served from localhost; set a session key to allow other origins.`);
      }
      return;
    }
    const access = request.routeOptions.config?.access;
    if (access === 'public' || (access === 'socket' && request.ws)) return;
    if (keys.accepts(header(request, SESSION_KEY_HEADER)) || sessions?.authenticates(request)) return;
    // A browser opening a page (it accepts HTML) goes to the login form; its scripts and other clients get the 401.
    if (access === 'page' && request.method === 'GET' && (header(request, 'accept') ?? '').includes('text/html')) return reply.redirect(LOGIN_PATH, 303);
    throw new HttpError(401, 'Unauthorized');
  });
}
