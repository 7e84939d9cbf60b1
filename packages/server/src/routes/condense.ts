import { ConfigError, ConversationStateError } from '@troupe/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ConversationService } from '../conversation-service.js';
import { HttpError } from '../http-error.js';
import { ConversationParamsSchema, ErrorResponseSchema, SuccessSchema } from '../wire-schemas.js';
import { apiErrorResponses } from './error-responses.js';

/**
 * `POST /api/conversations/{id}/condense`: condenses the history now (while running, before the
 * next model call). OpenHands answers 500 when the agent has no condenser; Troupe answers 409 with
 * the reason, as it does when there is nothing to condense.
 */
export function registerCondenseRoute(app: FastifyInstance, service: ConversationService): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/conversations/:conversation_id/condense',
    {
      schema: {
        tags: ['conversations'],
        summary: "Condense the history now with the agent's condenser (409 when it has none, or nothing can be condensed)",
        params: ConversationParamsSchema,
        response: { 200: SuccessSchema, 409: ErrorResponseSchema, ...apiErrorResponses },
      },
    },
    async (request) => {
      const conversation = await service.open(request.params.conversation_id);
      try {
        await conversation.idle.hold(() => conversation.handle.condense());
      } catch (error) {
        if (error instanceof ConfigError || error instanceof ConversationStateError) throw new HttpError(409, error.message);
        throw error;
      }
      return { success: true as const };
    },
  );
}
