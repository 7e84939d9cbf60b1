import { type ToolDefinition, toParametersJsonSchema } from '@troupe/core';
import { z } from 'zod';

/**
 * The messages between an actor thread and its tool thread (the worker that runs the module tools
 * of that thread's conversations). `session` is one conversation's tools there; `id` pairs a
 * request with its reply.
 */
const session = z.number().int().nonnegative();
const id = z.number().int().nonnegative();
const secrets = z.record(z.string(), z.string());

/** Where a conversation's tools live, as a tool thread needs it (its secrets travel as values). */
export const ToolSessionEnvironmentSchema = z.object({
  conversationId: z.string(),
  workspace: z.string(),
  conversationDir: z.string().optional(),
});
export type ToolSessionEnvironment = z.infer<typeof ToolSessionEnvironmentSchema>;

export const ToolThreadRequestSchema = z.discriminatedUnion('type', [
  /** A conversation's tools: where they work and the values to mask (secrets and API keys). */
  z.object({ type: z.literal('open_session'), session, environment: ToolSessionEnvironmentSchema, secrets, maskedValues: z.array(z.string()) }),
  z.object({ type: z.literal('update_secrets'), session, secrets }),
  /** Loads a module tool and makes the conversation's instance (a provider's `create` runs there). */
  z.object({ type: z.literal('make_tool'), id, session, name: z.string(), module: z.string(), params: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('call'), id, session, name: z.string(), args: z.record(z.string(), z.unknown()), toolCallId: z.string() }),
  /** The call's conversation was interrupted or closed: its signal aborts. */
  z.object({ type: z.literal('abort'), id }),
  z.object({ type: z.literal('interrupt'), session, name: z.string() }),
  z.object({ type: z.literal('close_tool'), id, session, name: z.string() }),
  z.object({ type: z.literal('close_session'), session }),
]);
export type ToolThreadRequest = z.infer<typeof ToolThreadRequestSchema>;

/** What the actor needs to offer a tool that lives in the tool thread to the model. */
export const RemoteToolSpecSchema = z.object({
  description: z.string(),
  parameters: z.record(z.string(), z.unknown()),
  readOnly: z.boolean(),
  finishesRun: z.boolean(),
  /** The tool has an `interrupt` / `close` hook to forward. */
  interrupts: z.boolean(),
  closes: z.boolean(),
});
export type RemoteToolSpec = z.infer<typeof RemoteToolSpecSchema>;

export function remoteToolSpec(tool: ToolDefinition): RemoteToolSpec {
  return {
    description: tool.description,
    parameters: toParametersJsonSchema(tool),
    readOnly: tool.readOnly,
    finishesRun: tool.finishesRun ?? false,
    interrupts: typeof tool.interrupt === 'function',
    closes: typeof tool.close === 'function',
  };
}

export const ToolThreadReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('made'), id, spec: RemoteToolSpecSchema }),
  z.object({ type: z.literal('result'), id, output: z.object({ content: z.array(z.unknown()), isError: z.boolean(), data: z.record(z.string(), z.unknown()).optional() }) }),
  /** `make_tool`, `call` or `close_tool` failed: the error as `serializeError` wrote it. */
  z.object({ type: z.literal('failed'), id, error: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('closed'), id }),
  /** A line a tool logged, for its conversation's logger (which masks it). */
  z.object({
    type: z.literal('log'),
    session,
    level: z.enum(['debug', 'info', 'warn', 'error']),
    message: z.string(),
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
]);
export type ToolThreadReply = z.infer<typeof ToolThreadReplySchema>;
