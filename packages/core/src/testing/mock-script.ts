import { z } from 'zod';

/**
 * The script language of the mock model. It is plain JSON so that a mock server in another
 * process (the bench) can be scripted the same way as one in the test's own process.
 *
 * A script is a list of turns. The turn a request gets is the number of assistant messages
 * in the request: the mock is stateless with respect to progress, so a conversation resumed
 * after a crash that repeats a request gets the same reply again. A conversation whose history
 * is condensed sends fewer assistant messages as it goes on: script it with `turnBy: 'replies'`
 * (the server's and `ScriptedLLM`'s option), where the turn is the number of replies served so far.
 */

/** How the mock picks the turn of a request: by the assistant messages in it, or by the replies served to its conversation so far. */
export const MockTurnBySchema = z.enum(['assistant_messages', 'replies']);
export type MockTurnBy = z.infer<typeof MockTurnBySchema>;

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

/** What the model thinks before it answers (text and tool-call replies). */
const thinkingFields = {
  /**
   * OpenAI route: `reasoning_content`. Anthropic route, when the request enables thinking: a
   * `thinking` block whose `signature` the mock signs and verifies when it comes back.
   */
  reasoning: z.string().optional(),
  /**
   * Anthropic route, when the request enables thinking: one `redacted_thinking` block per entry,
   * its opaque `data` sealing the text. Redacted thinking is never shown, so the OpenAI route sends none.
   */
  redactedThinking: z.array(z.string()).optional(),
};

/** A successful reply of the model. */
export const MockReplySchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    text: z.string(),
    ...thinkingFields,
  }),
  z.object({
    type: z.literal('tool_calls'),
    /** Text the model says alongside the calls. */
    text: z.string().optional(),
    calls: z.array(MockToolCallSchema).min(1),
    ...thinkingFields,
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
  /** HTTP 200 whose body (non-streaming) or one SSE event (streaming, after part of the reply) is not valid JSON. */
  z.object({ type: z.literal('malformed_json') }),
  /** The headers and the first half of the body (or of the stream), then nothing, until the client leaves. */
  z.object({ type: z.literal('stall_body') }),
  /** HTTP 200 with a body that is not the protocol's reply: `{}` by default, or `body` as `contentType` (a proxy's HTML page). */
  z.object({ type: z.literal('foreign_body'), body: z.string().optional(), contentType: z.string().optional() }),
  /**
   * Streaming: part of the reply, then an in-stream error (Anthropic: `event: error`; OpenAI: a
   * `data: {"error": …}` chunk) for `status` (default 529, overloaded). Non-streaming: HTTP `status`.
   */
  /**
   * HTTP 400 in the protocol's own shape for a prompt longer than the model's context window
   * (OpenAI: code `context_length_exceeded`; Anthropic: `prompt is too long`).
   */
  z.object({ type: z.literal('context_length_exceeded') }),
  z.object({
    type: z.literal('stream_error'),
    status: z.number().int().min(400).max(599).optional(),
    message: z.string().optional(),
  }),
]);
export type MockFault = z.infer<typeof MockFaultSchema>;

export const MockTurnSchema = z.object({
  reply: MockReplySchema,
  /** Attempt k of this turn gets `faults[k]` while there is one, then the reply. */
  faults: z.array(MockFaultSchema).optional(),
  /**
   * The model's context window for this turn, in prompt tokens as the mock counts them for usage:
   * a request with a longer prompt is answered `context_length_exceeded`, on every attempt (it
   * decides by the request's size, not by the attempt).
   */
  contextWindow: z.number().int().positive().optional(),
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

/** Thinking for the `mock` shorthands, moved into the reply. */
export interface MockThinking {
  reasoning?: string;
  redactedThinking?: string[];
}
type TurnExtras = Omit<MockTurn, 'reply'> & MockThinking;

/** Shorthands for writing scripts. */
export const mock = {
  text(text: string, extra: TurnExtras = {}): MockTurn {
    const [thinking, rest] = splitThinking(extra);
    return { reply: { type: 'text', text, ...thinking }, ...rest };
  },
  toolCall(name: string, args: Record<string, unknown> | string, extra: TurnExtras & { text?: string } = {}): MockTurn {
    return mock.toolCalls([{ name, arguments: args }], extra);
  },
  toolCalls(calls: MockToolCall[], extra: TurnExtras & { text?: string } = {}): MockTurn {
    const { text, ...others } = extra;
    const [thinking, rest] = splitThinking(others);
    return { reply: { type: 'tool_calls', calls, ...(text === undefined ? {} : { text }), ...thinking }, ...rest };
  },
  finish(message: string, extra: TurnExtras = {}): MockTurn {
    return mock.toolCalls([{ name: 'finish', arguments: { message } }], extra);
  },
  empty(extra: Omit<MockTurn, 'reply'> = {}): MockTurn {
    return { reply: { type: 'empty' }, ...extra };
  },
};

function splitThinking(extra: TurnExtras): [MockThinking, Omit<MockTurn, 'reply'>] {
  const { reasoning, redactedThinking, ...rest } = extra;
  return [{ ...(reasoning === undefined ? {} : { reasoning }), ...(redactedThinking === undefined ? {} : { redactedThinking }) }, rest];
}
