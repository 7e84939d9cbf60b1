/** An error a route answers with its own status and `{ detail }`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'HttpError';
  }
}

export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found`);
export const conversationNotFound = (id: string): HttpError => notFound(`Conversation ${JSON.stringify(id)}`);

/** A request that failed schema validation; `where` is the part of the request (body, query, …). */
export class RequestValidationError extends Error {
  constructor(readonly issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[]) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}
