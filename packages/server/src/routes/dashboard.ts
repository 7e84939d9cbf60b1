import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { LOGIN_PATH, SESSION_KEY_HEADER, type SessionKeys } from '../auth.js';
import { BROWSER_SESSION_TTL_MS, type BrowserSessions, isSameOrigin, SESSION_COOKIE } from '../browser-session.js';
import { HttpError } from '../http-error.js';
import { loginPage } from '../login-page.js';
import { SessionLoginRequestSchema, SessionStatusSchema } from '../troupe-schemas.js';
import { SuccessSchema } from '../wire-schemas.js';
import { apiErrorResponses } from './error-responses.js';

/** The built dashboard (`packages/dashboard/dist`, made by `pnpm build`). */
export function dashboardAssetsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@troupe/dashboard/package.json')), 'dist');
}

const tags = ['dashboard'];
const isForm = (request: FastifyRequest): boolean => (request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');

/**
 * The web dashboard at `/`: its built files (behind the session key like every route: a browser
 * without a session is sent to the login form), the login form, and the browser session routes that
 * exchange the key for an HttpOnly SameSite=Strict cookie.
 */
export async function registerDashboard(app: FastifyInstance, keys: SessionKeys, sessions: BrowserSessions): Promise<void> {
  await app.register(async (scope) => {
    // The login form posts form-encoded; bounded by the body limit like any body.
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    registerSessionRoutes(scope, keys, sessions);
  });

  await app.register(async (pages) => {
    pages.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'page' };
      route.schema = { ...route.schema, hide: true };
    });
    const root = dashboardAssetsDir();
    if (!existsSync(join(root, 'index.html'))) {
      pages.get('/', async () => {
        throw new HttpError(503, `The dashboard is not built (no ${join(root, 'index.html')}): run \`pnpm build\` in the repository.`);
      });
      return;
    }
    // Only the files that exist get a route: any other path stays a 404 behind the key.
    await pages.register(fastifyStatic, { root, wildcard: false, index: 'index.html', cacheControl: false, setHeaders: cacheHeaders });
  });
}

/** Hashed asset names never change content: cached for good; the page itself is always revalidated. */
function cacheHeaders(reply: FastifyReply, path: string): void {
  reply.header('cache-control', path.includes(join('dist', 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

function registerSessionRoutes(app: FastifyInstance, keys: SessionKeys, sessions: BrowserSessions): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const open = { access: 'public' as const };

  routes.get(LOGIN_PATH, { schema: { hide: true }, config: open }, async (request, reply) => {
    if (!keys.required) return reply.redirect('/', 303);
    const failed = new URL(request.url, 'http://server').searchParams.has('failed');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(loginPage({ failed }));
  });

  routes.get(
    '/api/troupe/session',
    { schema: { tags, summary: 'Whether the server needs a session key and whether this request has a browser session', response: { 200: SessionStatusSchema } }, config: open },
    async (request) => {
      const header = request.headers[SESSION_KEY_HEADER];
      const authenticated = keys.accepts(typeof header === 'string' ? header : undefined) || sessions.valid(request.cookies?.[SESSION_COOKIE]);
      return { key_required: keys.required, authenticated };
    },
  );

  routes.post(
    '/api/troupe/session',
    {
      schema: {
        tags,
        summary: 'Log a browser in: exchanges a session key (JSON or the login form) for an HttpOnly SameSite=Strict session cookie; the form is sent on to /',
        body: SessionLoginRequestSchema,
        response: { 200: SuccessSchema, ...apiErrorResponses },
      },
      config: open,
    },
    async (request, reply) => {
      // A browser always sends Origin with a POST: only this server's own login form may log it in.
      if (request.headers.origin !== undefined && !isSameOrigin(request)) throw new HttpError(403, 'Log in from the login form of this server (its Origin did not match).');
      const form = isForm(request);
      if (keys.required && !keys.accepts(request.body.session_api_key)) {
        if (form) return reply.redirect(`${LOGIN_PATH}?failed=1`, 303);
        throw new HttpError(401, 'Unauthorized: that session key is not accepted.');
      }
      if (keys.required) setSessionCookie(reply, request, sessions.issue());
      return form ? reply.redirect('/', 303) : { success: true as const };
    },
  );

  routes.delete(
    '/api/troupe/session',
    { schema: { tags, summary: 'Log this browser out (its session cookie stops working)', response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request, reply) => {
      sessions.revoke(request.cookies?.[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { success: true as const };
    },
  );
}

function setSessionCookie(reply: FastifyReply, request: FastifyRequest, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
    maxAge: BROWSER_SESSION_TTL_MS / 1000,
  });
}
