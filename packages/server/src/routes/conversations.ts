import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ConversationService } from '../conversation-service.js';
import { HttpError } from '../http-error.js';
import {
  AgentFinalResponseSchema,
  AskAgentRequestSchema,
  AskAgentResponseSchema,
  BatchGetQuerySchema,
  ConversationBatchSchema,
  ConversationCountQuerySchema,
  ConversationInfoSchema,
  ConversationPageSchema,
  ConversationParamsSchema,
  ConversationSearchQuerySchema,
  CountSchema,
  ErrorResponseSchema,
  ForkConversationRequestSchema,
  SetConfirmationPolicyRequestSchema,
  SetSecurityAnalyzerRequestSchema,
  StartConversationRequestSchema,
  RunQuerySchema,
  RunResponseSchema,
  SuccessSchema,
  UpdateConversationRequestSchema,
  UpdateSecretsRequestSchema,
} from '../wire-schemas.js';
import { apiErrorResponses } from './error-responses.js';

const tags = ['conversations'];
const success = { success: true } as const;

/** `/api/conversations`: create, read, search, update, control and delete conversations. */
export function registerConversationRoutes(app: FastifyInstance, service: ConversationService): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const params = ConversationParamsSchema;

  routes.post(
    '/api/conversations',
    { schema: { tags, summary: 'Start a conversation (200 when conversation_id exists, 201 when new)', body: StartConversationRequestSchema, response: { 200: ConversationInfoSchema, 201: ConversationInfoSchema, ...apiErrorResponses } } },
    async (request, reply) => {
      const { info, created } = await service.create(request.body);
      return reply.status(created ? 201 : 200).send(info);
    },
  );

  routes.get(
    '/api/conversations',
    { schema: { tags, summary: 'Several conversations by id (null for an unknown one)', querystring: BatchGetQuerySchema, response: { 200: ConversationBatchSchema, ...apiErrorResponses } } },
    async (request) => service.infos(request.query.ids),
  );

  routes.get(
    '/api/conversations/search',
    { schema: { tags, querystring: ConversationSearchQuerySchema, response: { 200: ConversationPageSchema, ...apiErrorResponses } } },
    async (request) => service.search(request.query),
  );

  routes.get(
    '/api/conversations/count',
    { schema: { tags, querystring: ConversationCountQuerySchema, response: { 200: CountSchema, ...apiErrorResponses } } },
    async (request) => service.count(request.query.status),
  );

  routes.get(
    '/api/conversations/:conversation_id',
    { schema: { tags, params, response: { 200: ConversationInfoSchema, ...apiErrorResponses } } },
    async (request) => service.info(request.params.conversation_id),
  );

  routes.delete(
    '/api/conversations/:conversation_id',
    { schema: { tags, summary: 'Close and delete a conversation (its workspace is kept)', params, response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request) => {
      await service.delete(request.params.conversation_id);
      return success;
    },
  );

  routes.patch(
    '/api/conversations/:conversation_id',
    { schema: { tags, summary: 'Set the title, the tags (replacing all), or both', params, body: UpdateConversationRequestSchema, response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request) => {
      await service.update(request.params.conversation_id, request.body);
      return success;
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/run',
    {
      schema: {
        tags,
        summary: 'Start the agent (409 when it is already running, unless join=true); answers once the run has started',
        params,
        querystring: RunQuerySchema,
        response: { 200: RunResponseSchema, 409: ErrorResponseSchema, ...apiErrorResponses },
      },
    },
    async (request) => {
      const started = await service.run(request.params.conversation_id, { join: request.query.join });
      if (started === 'already_running') throw new HttpError(409, 'Conversation is already running');
      return 'ended' in started ? { success: true as const, run_status: started.ended } : { success: true as const, running_from_seq: started.runningFrom };
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/pause',
    { schema: { tags, summary: 'Stop at the next step boundary (the model call in flight finishes)', params, response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request) => {
      await service.pause(request.params.conversation_id);
      return success;
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/interrupt',
    { schema: { tags, summary: 'Abort the model call and tools now; the conversation becomes paused', params, response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request) => {
      await service.interrupt(request.params.conversation_id);
      return success;
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/secrets',
    { schema: { tags, params, body: UpdateSecretsRequestSchema, response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request) => {
      await service.updateSecrets(request.params.conversation_id, request.body.secrets);
      return success;
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/confirmation_policy',
    { schema: { tags, params, body: SetConfirmationPolicyRequestSchema, response: { 200: SuccessSchema, ...apiErrorResponses } } },
    async (request) => {
      await service.setConfirmationPolicy(request.params.conversation_id, request.body.policy);
      return success;
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/security_analyzer',
    {
      schema: {
        tags,
        summary: "Store the security analyzer (risk is always the model's security_risk, as with OpenHands' LLMSecurityAnalyzer; not_applied says when that differs)",
        params,
        body: SetSecurityAnalyzerRequestSchema,
        response: { 200: SuccessSchema, ...apiErrorResponses },
      },
    },
    async (request) => {
      await service.setSecurityAnalyzer(request.params.conversation_id, request.body.security_analyzer);
      return success;
    },
  );

  routes.post(
    '/api/conversations/:conversation_id/fork',
    {
      schema: {
        tags,
        summary: 'Fork: a new conversation with a copy of the events (all, or up to from_event_id); 404 for an unknown source or event, 409 for an id in use',
        params,
        body: ForkConversationRequestSchema,
        response: { 201: ConversationInfoSchema, 409: ErrorResponseSchema, ...apiErrorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await service.fork(request.params.conversation_id, request.body)),
  );

  routes.post(
    '/api/conversations/:conversation_id/ask_agent',
    {
      schema: {
        tags,
        summary: "Ask the agent a question over the conversation's context: no event is added and the status is unchanged (also while it runs)",
        params,
        body: AskAgentRequestSchema,
        response: { 200: AskAgentResponseSchema, ...apiErrorResponses },
      },
    },
    async (request) => ({ response: await service.askAgent(request.params.conversation_id, request.body.question) }),
  );

  routes.get(
    '/api/conversations/:conversation_id/agent_final_response',
    { schema: { tags, params, response: { 200: AgentFinalResponseSchema, ...apiErrorResponses } } },
    async (request) => ({ response: await service.agentFinalResponse(request.params.conversation_id) }),
  );
}
