import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { EventSchema } from '@troupe/core';
import type { ConversationService } from '../conversation-service.js';
import {
  ConfirmationResponseRequestSchema,
  ConfirmationResponseSchema,
  ConversationParamsSchema,
  CountSchema,
  EventCountQuerySchema,
  EventPageSchema,
  EventParamsSchema,
  type EventSearchQuery,
  EventSearchQuerySchema,
  SendMessageRequestSchema,
  SendMessageResponseSchema,
} from '../wire-schemas.js';
import { apiErrorResponses } from './error-responses.js';

const tags = ['events'];

/**
 * Events leave as the exact bytes they have everywhere else (key order included), so they are
 * serialised here rather than re-encoded through their schema, which documents them.
 */
function sendEventJson(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(value));
}

/** `/api/conversations/{id}/events`: send messages, search and read the log, answer confirmations. */
export function registerEventRoutes(app: FastifyInstance, service: ConversationService): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const params = ConversationParamsSchema;

  routes.post(
    '/api/conversations/:conversation_id/events',
    { schema: { tags, summary: 'Send a user message; with run=true the agent starts (or the running one sees it)', params, body: SendMessageRequestSchema, response: { 200: SendMessageResponseSchema, ...apiErrorResponses } } },
    async (request) => {
      const ack = await service.sendMessage(request.params.conversation_id, request.body);
      return { success: true as const, message_id: ack.id, queued: ack.queued };
    },
  );

  app.get(
    '/api/conversations/:conversation_id/events/search',
    { schema: { tags, summary: 'Events by sequence number; next_page_id is the next page’s first sequence number', params, querystring: EventSearchQuerySchema, response: { 200: EventPageSchema, ...apiErrorResponses } } },
    async (request, reply) => {
      const { conversation_id } = request.params as { conversation_id: string };
      return sendEventJson(reply, await service.searchEvents(conversation_id, request.query as EventSearchQuery));
    },
  );

  routes.get(
    '/api/conversations/:conversation_id/events/count',
    { schema: { tags, params, querystring: EventCountQuerySchema, response: { 200: CountSchema, ...apiErrorResponses } } },
    async (request) => service.countEvents(request.params.conversation_id, request.query),
  );

  routes.post(
    '/api/conversations/:conversation_id/events/respond_to_confirmation',
    { schema: { tags, summary: 'Accept (run) or reject the actions waiting for confirmation', params, body: ConfirmationResponseRequestSchema, response: { 200: ConfirmationResponseSchema, ...apiErrorResponses } } },
    async (request) => {
      const rejected = await service.respondToConfirmation(request.params.conversation_id, request.body.accept, request.body.reason);
      return { success: true as const, rejected_count: rejected };
    },
  );

  app.get(
    '/api/conversations/:conversation_id/events/:event_id',
    { schema: { tags, params: EventParamsSchema, response: { 200: EventSchema, ...apiErrorResponses } } },
    async (request, reply) => {
      const { conversation_id, event_id } = request.params as { conversation_id: string; event_id: string };
      return sendEventJson(reply, await service.event(conversation_id, event_id));
    },
  );
}
