import { z } from 'zod';

/**
 * What the peers scenario asks of one runner process, and what that process answers. The parent
 * validates both with these schemas; the child process only reads the types (it loads no zod, so
 * its memory is the peer's own).
 */

/** A tool as OpenAI's chat completions take it (what `toChatTools` makes). */
const ChatToolSchema = z.object({
  type: z.literal('function'),
  function: z.object({ name: z.string(), description: z.string().optional(), parameters: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
});

export const PEER_RUNNERS = ['troupe', 'openai-loop', 'openai-loop-threads', 'ai-sdk', 'openai-agents'] as const;
export const PeerRunnerNameSchema = z.enum(PEER_RUNNERS);
export type PeerRunnerName = z.infer<typeof PeerRunnerNameSchema>;

export const PeerTaskSchema = z.object({
  runner: PeerRunnerNameSchema,
  /** The mock model (OpenAI chat completions), e.g. `http://127.0.0.1:43123/v1`. */
  baseUrl: z.string().url(),
  model: z.string(),
  /** Conversations run at once, and conversations run before them (not measured) to warm the process up. */
  conversations: z.number().int().positive(),
  warmupConversations: z.number().int().nonnegative(),
  /** Worker threads of the runners that use them (Troupe's Supervisor, the threaded loop). */
  threads: z.number().int().positive(),
  /** Troupe: the bench tool its agent has (besides finish and think); its workspace. */
  troupeTool: z.enum(['noop', 'burn']),
  workspace: z.string(),
  /** The peers: exactly what the Troupe agent sends (its system prompt and tool JSON). */
  systemPrompt: z.string(),
  userMessage: z.string(),
  tools: z.array(ChatToolSchema),
  /** A conversation that has made this many model calls without finishing has failed. */
  maxModelCalls: z.number().int().positive(),
});
export type PeerTask = z.infer<typeof PeerTaskSchema>;

export const PeerResultSchema = z.object({
  /** From the start of the conversations (after setup) to the end of the last one. */
  wallMs: z.number().nonnegative(),
  /** `process.cpuUsage()` of the runner process over that span: all its threads. */
  cpuUs: z.number().nonnegative(),
  /** Peak RSS of the runner process, sampled from its start to the end of the run. */
  peakRssBytes: z.number().nonnegative(),
  conversations: z.number().int().nonnegative(),
  /** Conversations that ended with the `finish` tool. */
  finished: z.number().int().nonnegative(),
  /** Model calls per conversation as the runner counted them; null when the runner leaves the count to the mock. */
  modelCalls: z.object({ min: z.number().int(), max: z.number().int(), total: z.number().int() }).nullable(),
  /** The ids the runner sent as `x-troupe-conversation-id` (empty: the peer cannot set a header per request). */
  conversationIds: z.array(z.string()),
});
export type PeerResult = z.infer<typeof PeerResultSchema>;
