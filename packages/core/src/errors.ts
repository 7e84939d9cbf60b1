/**
 * Typed errors. Each says what went wrong and how to fix it. `name` survives structured clone
 * across threads, so the receiving side can rebuild the class (see `reviveError`).
 */
export class TroupeError extends Error {
  override name = 'TroupeError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Invalid or missing configuration. */
export class ConfigError extends TroupeError {
  override name = 'ConfigError';
}

/** A model call failed for good (after retries, or not retryable). */
export class LLMError extends TroupeError {
  override name = 'LLMError';
  constructor(
    message: string,
    readonly details: { status?: number; attempts: number; retryable: boolean },
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The provider kept answering 429 until retries ran out. */
export class LLMRateLimitError extends LLMError {
  override name = 'LLMRateLimitError';
}

/** The model call was aborted (interrupt, close). */
export class LLMAbortedError extends TroupeError {
  override name = 'LLMAbortedError';
}

/** A workspace directory that must not be used (or cannot be made): names the path and the problem. */
export class WorkspacePathError extends ConfigError {
  override name = 'WorkspacePathError';
}

/** A conversation was asked to do something its state does not allow. */
export class ConversationStateError extends TroupeError {
  override name = 'ConversationStateError';
}

/** A conversation was used after `close()`. */
export class ConversationClosedError extends ConversationStateError {
  override name = 'ConversationClosedError';
}

/** A persisted conversation could not be read. Names the file (and line) at fault. */
export class PersistenceError extends TroupeError {
  override name = 'PersistenceError';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A persisted record was written by a newer, unknown schema version. */
export class SchemaVersionError extends PersistenceError {
  override name = 'SchemaVersionError';
}

/** A resumed conversation lacks a tool the stored one had. */
export class MissingToolError extends ConfigError {
  override name = 'MissingToolError';
}

/** A message between supervisor and actor failed validation. */
export class MailboxError extends TroupeError {
  override name = 'MailboxError';
}

const ERROR_CLASSES: Record<string, new (message: string) => Error> = {
  TroupeError,
  ConfigError,
  WorkspacePathError,
  LLMAbortedError,
  ConversationStateError,
  ConversationClosedError,
  MailboxError,
  MissingToolError,
};

/**
 * Rebuilds a typed error from its name and message, e.g. after it crossed a thread boundary
 * (structured clone keeps only `name`, `message` and `stack` of an Error).
 */
export function reviveError(error: { name?: string; message?: string; stack?: string }): Error {
  const Class = (error.name && ERROR_CLASSES[error.name]) || Error;
  const revived = new Class(error.message ?? 'Unknown error');
  if (!(error.name && ERROR_CLASSES[error.name]) && error.name) revived.name = error.name;
  if (error.stack) revived.stack = error.stack;
  return revived;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
