import { randomUUID } from 'node:crypto';
import { ConfigError, ConversationExistsError, EventNotFoundError, EventQueryError, type Logger } from '@troupe/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { HttpError, RequestValidationError } from './http-error.js';
import type { ErrorResponse } from './wire-schemas.js';

/** FastAPI's names for the parts of a request, used as the first element of `loc`. */
const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Validates with zod and keeps the issues, so a 422 can give exact field paths. */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    return result.success ? { value: result.data } : { error: new RequestValidationError(result.error.issues) };
  };

/** The 422 body for validation issues: `{ detail: [{ loc, msg, type }] }`. */
export function validationDetail(where: string, issues: RequestValidationError['issues']): ErrorResponse {
  return {
    detail: issues.map((issue) => ({
      loc: [where, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))],
      msg: issue.message,
      type: issue.code,
    })),
  };
}

/**
 * Maps every failure to the one error shape `{ detail }`: 422 with field paths for invalid input
 * (bad JSON included), 413 for oversized bodies, the route's own status for `HttpError`, 404 for
 * an unknown event id, 409 for a conversation id in use, and 500
 * without internals only for real faults, each logged with its `error_id` and stack.
 */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof RequestValidationError) {
      return reply.status(422).send(validationDetail(LOCATION[error.validationContext ?? 'body'] ?? 'body', error.issues));
    }
    if (error instanceof HttpError) return reply.status(error.statusCode).send({ detail: error.detail });
    if (error instanceof ConfigError || error instanceof EventQueryError) return reply.status(422).send({ detail: error.message });
    if (error instanceof EventNotFoundError) return reply.status(404).send({ detail: error.message });
    if (error instanceof ConversationExistsError) return reply.status(409).send({ detail: error.message });
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ detail: `Request body is larger than the limit of ${app.initialConfig.bodyLimit} bytes` });
    if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
      return reply.status(422).send({ detail: [{ loc: ['body'], msg: `Invalid JSON: ${error.message}`, type: 'json_invalid' }] });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send({ detail: error.message });
    const errorId = randomUUID();
    logger.error(`Unhandled error ${errorId} on ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}: ${error.message}`, {
      error_id: errorId,
      stack: error.stack ?? String(error),
    });
    return reply.status(500).send({ detail: 'Internal Server Error', error_id: errorId });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ detail: `Not found: ${request.method} ${request.url.split('?')[0]}` }));
}

/** Requests the router cannot even read (a malformed percent-encoding in the path): a 400 in the one error shape. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(400).send({ detail: `Bad request target: ${error.message}` });
}
