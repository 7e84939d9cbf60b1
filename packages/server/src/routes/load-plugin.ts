import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConversationService } from '../conversation-service.js';
import { HttpError } from '../http-error.js';
import { ConversationParamsSchema, ErrorResponseSchema, SuccessSchema } from '../wire-schemas.js';
import { apiErrorResponses } from './error-responses.js';

const LoadPluginRequestSchema = z.object({ plugin_ref: z.string().min(1) });

/**
 * `POST /api/conversations/{id}/load_plugin {plugin_ref}`: OpenHands loads a plugin of one of the
 * conversation's registered marketplaces. Troupe has no marketplaces, so it answers as OpenHands
 * answers a reference it cannot resolve (400, 404 for an unknown conversation), saying what works.
 */
export function registerLoadPluginRoute(app: FastifyInstance, service: ConversationService): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/conversations/:conversation_id/load_plugin',
    {
      schema: {
        tags: ['conversations'],
        summary: 'Load a marketplace plugin into a live conversation (refused: Troupe has no marketplaces)',
        params: ConversationParamsSchema,
        body: LoadPluginRequestSchema,
        response: { 200: SuccessSchema, 400: ErrorResponseSchema, ...apiErrorResponses },
      },
    },
    async (request) => {
      await service.open(request.params.conversation_id);
      throw new HttpError(
        400,
        `Cannot load plugin ${request.body.plugin_ref}: plugin references name a plugin of a registered marketplace, and Troupe has no marketplaces. Give the plugin's local directory in "plugins" when you create the conversation.`,
      );
    },
  );
}
