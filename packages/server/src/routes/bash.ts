import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  BashCommandSchema,
  BashEventPageSchema,
  BashEventParamsSchema,
  BashEventSchema,
  BashEventSearchQuerySchema,
  BashOutputSchema,
  ClearedCountSchema,
  ExecuteBashRequestSchema,
} from '../bash-events.js';
import { notFound } from '../http-error.js';
import type { WorkspaceShell } from '../workspace-shell.js';
import { apiErrorResponses } from './error-responses.js';

const tags = ['bash'];

/** `/api/bash/…`: OpenHands' workspace shell routes (commands outside any conversation). */
export function registerBashRoutes(app: FastifyInstance, shell: WorkspaceShell): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/bash/start_bash_command',
    { schema: { tags, summary: 'Start a command; poll bash_events/search (command_id__eq, order__gt) for its output as it comes', body: ExecuteBashRequestSchema, response: { 200: BashCommandSchema, ...apiErrorResponses } } },
    async (request) => shell.start(request.body),
  );

  routes.post(
    '/api/bash/execute_bash_command',
    { schema: { tags, summary: 'Run a command to its end; its last output (exit_code -1 on timeout)', body: ExecuteBashRequestSchema, response: { 200: BashOutputSchema, ...apiErrorResponses } } },
    async (request) => shell.execute(request.body),
  );

  routes.get(
    '/api/bash/bash_events/search',
    { schema: { tags, querystring: BashEventSearchQuerySchema, response: { 200: BashEventPageSchema, ...apiErrorResponses } } },
    async (request) => shell.search(request.query),
  );

  routes.get(
    '/api/bash/bash_events/:event_id',
    { schema: { tags, params: BashEventParamsSchema, response: { 200: BashEventSchema, ...apiErrorResponses } } },
    async (request) => shell.event(request.params.event_id) ?? Promise.reject(notFound(`Bash event ${JSON.stringify(request.params.event_id)}`)),
  );

  routes.delete(
    '/api/bash/bash_events',
    { schema: { tags, summary: 'Forget every recorded bash event', response: { 200: ClearedCountSchema, ...apiErrorResponses } } },
    async () => ({ cleared_count: shell.clear() }),
  );
}
