import { z } from 'zod';

/**
 * The script language of the mock model. It is plain JSON so that a mock server in another
 * process (the bench) can be scripted the same way as one in the test's own process.
 *
 * A script is a list of turns. The turn a request gets is the number of assistant messages
 * in the request: the mock is stateless with respect to progress, so a conversation resumed
 * after a crash that repeats a request gets the same reply again.
 */

export const MockToolCallSchema = z.object({
  name: z.string(),
  /** An object is sent as JSON; a string is sent verbatim (use it for malformed JSON). */
  arguments: z.union([z.record(z.string(), z.unknown()), z.string()]),
  id: z.string().optional(),
});
export type MockToolCall = z.infer<typeof MockToolCallSchema>;

export const MockUsageSchema = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative().optional(),
});
export type MockUsage = z.infer<typeof MockUsageSchema>;

/** A successful reply of the model. */
export const MockReplySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    reasoning: z.string().optional(),
  }),
  z.object({
    type: z.literal('tool_calls'),
    /** Text the model says alongside the calls. */
    text: z.string().optional(),
    calls: z.array(MockToolCallSchema).min(1),
  }),
  /** No content and no tool call (the agent nudges the model). */
  z.object({ type: z.literal('empty') }),
]);
export type MockReply = z.infer<typeof MockReplySchema>;

/** A failure served instead of the reply, for one attempt. */
export const MockFaultSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('http_error'),
    status: z.number().int().min(400).max(599),
    /** Seconds, sent as `Retry-After`. */
    retryAfter: z.number().nonnegative().optional(),
    message: z.string().optional(),
  }),
  /** Accept the request and never answer (until the client disconnects). */
  z.object({ type: z.literal('hang') }),
  /** Streaming: send part of the reply, then drop the connection. Non-streaming: drop it at once. */
  z.object({ type: z.literal('cut_stream') }),
]);
export type MockFault = z.infer<typeof MockFaultSchema>;

export const MockTurnSchema = z.object({
  reply: MockReplySchema,
  /** Attempt k of this turn gets `faults[k]` while there is one, then the reply. */
  faults: z.array(MockFaultSchema).optional(),
  /** Delay before answering, overriding the server's default latency. */
  latencyMs: z.number().nonnegative().optional(),
  usage: MockUsageSchema.optional(),
});
export type MockTurn = z.infer<typeof MockTurnSchema>;

export const MockScriptSchema = z.array(MockTurnSchema);
export type MockScript = z.infer<typeof MockScriptSchema>;

/** Validates a script that arrived as data (options, the admin endpoint); `source` names it in the error. */
export function parseMockScript(input: unknown, source: string): MockScript {
  return parseOrThrow(MockScriptSchema, input, `mock script (${source})`);
}

/** Validates a reply that arrived as data; `source` names it in the error. */
export function parseMockReply(input: unknown, source: string): MockReply {
  return parseOrThrow(MockReplySchema, input, `mock reply (${source})`);
}

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new TypeError(
      `Invalid ${what}:\n${z.prettifyError(result.error)}\nBuild it with the \`mock\` helpers or follow the schemas in mock-script.ts.`,
    );
  }
  return result.data;
}

/** Shorthands for writing scripts. */
export const mock = {
  text(text: string, extra: Omit<MockTurn, 'reply'> = {}): MockTurn {
    return { reply: { type: 'text', text }, ...extra };
  },
  toolCall(name: string, args: Record<string, unknown> | string, extra: Omit<MockTurn, 'reply'> & { text?: string } = {}): MockTurn {
    const { text, ...rest } = extra;
    return { reply: { type: 'tool_calls', calls: [{ name, arguments: args }], ...(text === undefined ? {} : { text }) }, ...rest };
  },
  toolCalls(calls: MockToolCall[], extra: Omit<MockTurn, 'reply'> & { text?: string } = {}): MockTurn {
    const { text, ...rest } = extra;
    return { reply: { type: 'tool_calls', calls, ...(text === undefined ? {} : { text }) }, ...rest };
  },
  finish(message: string, extra: Omit<MockTurn, 'reply'> = {}): MockTurn {
    return { reply: { type: 'tool_calls', calls: [{ name: 'finish', arguments: { message } }] }, ...extra };
  },
  empty(extra: Omit<MockTurn, 'reply'> = {}): MockTurn {
    return { reply: { type: 'empty' }, ...extra };
  },
};
