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

/**
 * The prompt is longer than the model's context window: retrying cannot help, the history must
 * shrink (the conversation's condenser does it, or start a new conversation). Never retried.
 */
export class ContextLengthExceededError extends LLMError {
  override name = 'ContextLengthExceededError';
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

/**
 * A conversation held by another writer: opened elsewhere (its claim is live), or taken over by
 * another process while this one wrote it (its writes are refused from then on).
 */
export class ConversationLeaseError extends TroupeError {
  override name = 'ConversationLeaseError';
  constructor(
    message: string,
    readonly conversationId: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A skill file (or repository instruction file) of the workspace that cannot be read as a skill. Names the file. */
export class SkillFileError extends ConfigError {
  override name = 'SkillFileError';
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A plugin (a directory of skills, MCP servers and hooks) that cannot be loaded. Names the file (or directory) at fault. */
export class PluginError extends ConfigError {
  override name = 'PluginError';
  constructor(
    message: string,
    readonly file: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A resumed conversation lacks a tool the stored one had. */
export class MissingToolError extends ConfigError {
  override name = 'MissingToolError';
}

/** A message between supervisor and actor failed validation. */
export class MailboxError extends TroupeError {
  override name = 'MailboxError';
}

/** A query of a conversation's events that cannot be answered (an unknown page cursor). */
export class EventQueryError extends TroupeError {
  override name = 'EventQueryError';
}

/** An event id that names no event of the conversation (a fork point, say). */
export class EventNotFoundError extends TroupeError {
  override name = 'EventNotFoundError';
}

/** A conversation id already in use where a new conversation was to be made (a fork's id). */
export class ConversationExistsError extends TroupeError {
  override name = 'ConversationExistsError';
}

/** A client tool's arguments did not fit its parameters: the model is told so, as for any invalid call. */
export class ToolArgumentsError extends TroupeError {
  override name = 'ToolArgumentsError';
}

/** A tool returned what its observation cannot hold (observation fields from a tool without an OpenHands identity). */
export class ToolOutputError extends TroupeError {
  override name = 'ToolOutputError';
}

/** Every typed error, by name, with how to rebuild it from its message and fields. */
const ERROR_CLASSES: Record<string, { make(message: string, fields: Record<string, unknown>): Error }> = {
  TroupeError: { make: (message) => new TroupeError(message) },
  ConfigError: { make: (message) => new ConfigError(message) },
  WorkspacePathError: { make: (message) => new WorkspacePathError(message) },
  MissingToolError: { make: (message) => new MissingToolError(message) },
  SkillFileError: { make: (message, fields) => new SkillFileError(message, String(fields.file)) },
  PluginError: { make: (message, fields) => new PluginError(message, String(fields.file)) },
  LLMError: { make: (message, fields) => new LLMError(message, fields.details as LLMError['details']) },
  LLMRateLimitError: { make: (message, fields) => new LLMRateLimitError(message, fields.details as LLMError['details']) },
  ContextLengthExceededError: { make: (message, fields) => new ContextLengthExceededError(message, fields.details as LLMError['details']) },
  LLMAbortedError: { make: (message) => new LLMAbortedError(message) },
  ConversationStateError: { make: (message) => new ConversationStateError(message) },
  ConversationClosedError: { make: (message) => new ConversationClosedError(message) },
  PersistenceError: { make: (message, fields) => new PersistenceError(message, String(fields.file), fields.line as number | undefined) },
  SchemaVersionError: { make: (message, fields) => new SchemaVersionError(message, String(fields.file), fields.line as number | undefined) },
  ConversationLeaseError: { make: (message, fields) => new ConversationLeaseError(message, String(fields.conversationId)) },
  MailboxError: { make: (message) => new MailboxError(message) },
  ToolArgumentsError: { make: (message) => new ToolArgumentsError(message) },
  ToolOutputError: { make: (message) => new ToolOutputError(message) },
  EventQueryError: { make: (message) => new EventQueryError(message) },
  EventNotFoundError: { make: (message) => new EventNotFoundError(message) },
  ConversationExistsError: { make: (message) => new ConversationExistsError(message) },
  McpServerError: { make: (message, fields) => new McpServerError(message, String(fields.server)) },
};

/** The marker of an error serialised by `serializeError`: a plain object that crosses threads and processes. */
const SERIALIZED_ERROR = '__troupe_error__';

export interface SerializedError {
  [SERIALIZED_ERROR]: 1;
  name: string;
  message: string;
  stack?: string;
  /** The error's own fields (`details`, `file`, `line`, …): structured clone of an Error keeps none of them. */
  fields: Record<string, unknown>;
}

/** An error as plain data with its own fields, so that `reviveError` on the other side rebuilds the same class with them. */
export function serializeError(error: unknown): SerializedError {
  const source = error instanceof Error ? error : new Error(String(error));
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause') continue;
    const value = (source as unknown as Record<string, unknown>)[key];
    if (value === undefined || typeof value === 'function') continue;
    fields[key] = value;
  }
  return { [SERIALIZED_ERROR]: 1, name: source.name, message: source.message, ...(source.stack ? { stack: source.stack } : {}), fields };
}

export function isSerializedError(value: unknown): value is SerializedError {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SERIALIZED_ERROR] === 1;
}

/**
 * Rebuilds a typed error: from `serializeError`'s data (class and fields), or from an Error that
 * lost its class crossing a boundary (name and message only). An unknown name keeps its name on a
 * plain Error.
 */
export function reviveError(error: SerializedError | { name?: string; message?: string; stack?: string }): Error {
  const fields = isSerializedError(error) ? error.fields : {};
  const known = error.name ? ERROR_CLASSES[error.name] : undefined;
  const revived = known ? known.make(error.message ?? 'Unknown error', fields) : new Error(error.message ?? 'Unknown error');
  if (!known && error.name) revived.name = error.name;
  if (!known) Object.assign(revived, fields);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** An MCP server of the agent could not be started, or stopped answering: names the server and what it said. */
export class McpServerError extends TroupeError {
  override name = 'McpServerError';
  constructor(
    message: string,
    readonly server: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
