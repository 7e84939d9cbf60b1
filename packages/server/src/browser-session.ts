import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
// The `request.cookies` of the cookie plugin.
import type {} from '@fastify/cookie';

/** The cookie a browser holds after it logged in with a session key (HttpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'troupe_session';
/** How long a browser session lasts (the cookie's Max-Age); then the login form asks for the key again. */
export const BROWSER_SESSION_TTL_MS = 12 * 60 * 60_000;
/** Sessions kept at once; past it the oldest is forgotten (its browser logs in again). */
const MAX_SESSIONS = 1_000;

const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Methods that change nothing: a cookie suffices for them, the others also need the server's own `Origin`. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request comes from a page of this server: its `Origin` names the host the request was
 * sent to. Browsers send `Origin` with every request that can change state (and with WebSocket
 * upgrades), so a cross-site form or script cannot pass this.
 */
export function isSameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  const host = request.headers.host;
  if (typeof origin !== 'string' || typeof host !== 'string') return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * The browser sessions of a server with a session key. A page load cannot send the
 * `X-Session-API-Key` header, so the login form exchanges a valid key for a random token in an
 * HttpOnly SameSite=Strict cookie. The server keeps only the tokens' digests, in memory: a restart
 * logs every browser out. A token never gives more than the key it was exchanged for.
 */
export class BrowserSessions {
  /** Token digest → expiry (ms since the epoch), oldest first. */
  readonly #sessions = new Map<string, number>();

  /** A new session's token, for the cookie. */
  issue(now = Date.now()): string {
    const token = randomBytes(32).toString('base64url');
    this.#sessions.set(digest(token), now + BROWSER_SESSION_TTL_MS);
    if (this.#sessions.size > MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
    return token;
  }

  revoke(token: string | undefined): void {
    if (token !== undefined) this.#sessions.delete(digest(token));
  }

  /** A live session's token. */
  valid(token: string | undefined, now = Date.now()): boolean {
    if (token === undefined) return false;
    const key = digest(token);
    const expires = this.#sessions.get(key);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.#sessions.delete(key);
    return false;
  }

  /**
   * Whether the request is authenticated by its session cookie: a live token, and for a request
   * that may change state (or opens a WebSocket) the server's own `Origin`, against CSRF.
   */
  authenticates(request: FastifyRequest, options: { changesState?: boolean } = {}): boolean {
    if (!this.valid(request.cookies?.[SESSION_COOKIE])) return false;
    const changesState = options.changesState ?? !SAFE_METHODS.has(request.method);
    return !changesState || isSameOrigin(request);
  }
}
