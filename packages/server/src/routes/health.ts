import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { usableToolNames } from '../tool-names.js';
import { HealthSchema, ServerInfoSchema } from '../wire-schemas.js';

export interface ServerClock {
  startedAt: number;
  /** The last request or event, for `idle_time` (an orchestrator stops idle servers). */
  lastActivityAt: number;
}

export const SERVER_VERSION = '0.1.0';

/** Public routes (no key): liveness, readiness and what this server is. */
export function registerHealthRoutes(app: FastifyInstance, clock: ServerClock, idleReleaseMs: number): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const ok = { schema: { tags: ['health'], response: { 200: HealthSchema } }, config: { access: 'public' as const } };
  routes.get('/alive', ok, async () => ({ status: 'ok' }));
  routes.get('/health', ok, async () => ({ status: 'ok' }));
  // Routes are served only once the server is fully initialised, so a reachable server is ready.
  routes.get('/ready', ok, async () => ({ status: 'ready' }));
  routes.get('/server_info', { schema: { tags: ['health'], response: { 200: ServerInfoSchema } }, config: { access: 'public' } }, async () => {
    const now = Date.now();
    return {
      title: 'Troupe agent server',
      version: SERVER_VERSION,
      uptime: (now - clock.startedAt) / 1000,
      idle_time: (now - clock.lastActivityAt) / 1000,
      usable_tools: usableToolNames(),
      runtime_idle_timeout_seconds: Number.isFinite(idleReleaseMs) ? idleReleaseMs / 1000 : null,
      capabilities: ['event_sequence_numbers', 'run_initial_message', 'not_applied', 'bash_events', 'file_transfer', 'git'],
      docs: '/docs',
      openapi: '/openapi.json',
    };
  });
}
