import type { AnyThinkingBlock, Message, ReasoningItem, ToolCall } from './content.js';
import type { ModelCapabilities } from './model-capabilities.js';
import type { LLMCallRecord } from './metrics.js';

/**
 * The model seam: what the agent loop asks of a model, in Troupe's own types. The conversation's
 * history arrives as provider-neutral `Message`s (the shape of `MessageEvent.llm_message`, derived
 * from the events by `eventsToMessages`); each provider maps them to its wire format in its adapter.
 */

/** A tool as the model is offered it: its name, what it does, and its parameters' JSON Schema. */
export interface ModelTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A streamed piece of the reply. */
export interface TokenDelta {
  content?: string;
  reasoning_content?: string;
}

/** A retry is about to happen, after `delayMs`. `retryAfterCappedFromMs` is the server's longer wish, when it was cut to the policy. */
export interface RetryNotice {
  attempt: number;
  delayMs: number;
  error: Error;
  retryAfterCappedFromMs?: number;
}

/** The LLM gave up on its model after its retries and goes on with the next fallback model. */
export interface FallbackNotice {
  /** The model that failed, and the one tried next. */
  from: string;
  to: string;
  error: Error;
}

export interface CompletionRequest {
  messages: Message[];
  tools: ModelTool[];
  signal?: AbortSignal;
  /** Sent as `x-troupe-conversation-id`, so proxies (and the mock server) can tell conversations apart. */
  conversationId?: string;
  /** Called with each streamed piece of the reply (only when the LLM streams). */
  onToken?: (delta: TokenDelta) => void;
  /** Called before each retry, with the error and the wait. */
  onRetry?: (notice: RetryNotice) => void;
  /** Called when the LLM switches to a fallback model. */
  onFallback?: (notice: FallbackNotice) => void;
}

export interface CompletionResponse {
  id: string;
  content: string | null;
  reasoningContent?: string;
  /** Anthropic thinking blocks, exactly as returned: they go back unchanged on later turns. */
  thinkingBlocks?: AnyThinkingBlock[];
  /** The OpenAI Responses API reasoning item, sent back on later turns. */
  responsesReasoningItem?: ReasoningItem;
  toolCalls: ToolCall[];
  finishReason: string | null;
  /** Latency, tokens and cost of the call. */
  call: LLMCallRecord;
}

/** What the agent loop needs from a model. `LLM` talks HTTP through a provider adapter; `ScriptedLLM` (testing) does not. */
export interface LanguageModel {
  readonly usageId: string;
  readonly model: string;
  /** What the model can take (images, tools, …), when known; the runtime adapts what it sends. */
  readonly capabilities?: ModelCapabilities;
  complete(request: CompletionRequest): Promise<CompletionResponse>;
}
