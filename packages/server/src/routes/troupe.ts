import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ConversationService } from '../conversation-service.js';
import { ConversationSummaries } from '../conversation-summaries.js';
import { HttpError } from '../http-error.js';
import { type BatchProgress, BatchProgressSchema, ConversationSummaryListSchema } from '../troupe-schemas.js';
import { apiErrorResponses } from './error-responses.js';

const tags = ['troupe'];

/** Troupe's own read routes for the dashboard: every conversation as a compact summary, and the batch being served. */
export function registerTroupeRoutes(app: FastifyInstance, service: ConversationService, batchProgress: (() => BatchProgress) | undefined): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const summaries = new ConversationSummaries(service);

  routes.get(
    '/api/troupe/conversations',
    {
      schema: {
        tags,
        summary: 'Every conversation as a list row (status, title, model, steps, tokens, cost, last activity), newest activity first: one small request for a live list',
        response: { 200: ConversationSummaryListSchema, ...apiErrorResponses },
      },
    },
    async () => ({ items: await summaries.list() }),
  );

  routes.get(
    '/api/troupe/batch',
    { schema: { tags, summary: 'The progress of the batch this server serves (`troupe batch --serve`); 404 when it serves none', response: { 200: BatchProgressSchema, ...apiErrorResponses } } },
    async () => {
      if (!batchProgress) throw new HttpError(404, 'This server runs no batch: start one with `troupe batch <tasks.jsonl> --serve`.');
      return batchProgress();
    },
  );
}
