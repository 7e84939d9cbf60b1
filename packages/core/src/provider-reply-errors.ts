/** Replies that broke in transit, the same for every provider adapter; all are retried. */

/** The connection closed before the reply (streamed or not) was complete. */
export class IncompleteStreamError extends Error {
  override name = 'IncompleteStreamError';
}

/** The provider answered 2xx with a body that is not its API's reply (an empty object, an HTML page of a proxy). */
export class MalformedReplyError extends Error {
  override name = 'MalformedReplyError';
}

/**
 * A reply cut or garbled on the way: a stream that broke mid-way surfaces as a plain error from
 * the fetch body, a body that is not JSON as the parser's `SyntaxError`.
 */
export function isBrokenReply(error: unknown): boolean {
  return (
    error instanceof IncompleteStreamError ||
    error instanceof MalformedReplyError ||
    error instanceof SyntaxError ||
    (error instanceof Error && /terminated|socket|ECONNRESET|premature/i.test(error.message))
  );
}
