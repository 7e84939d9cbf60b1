import type { CompletionRequest, CompletionResponse } from './language-model.js';
import type { LLMCallRecord } from './metrics.js';

/** What one attempt of a model call returned, before the LLM adds latency and cost. */
export type AdapterReply = Omit<CompletionResponse, 'call'> & { usage: LLMCallRecord['usage'] };

/** How a failed attempt should be treated. */
export interface FailureClass {
  retryable: boolean;
  status?: number;
  /** The wait the server asked for (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** The prompt does not fit the model's context window (never retried). */
  contextLengthExceeded?: boolean;
}

/**
 * One provider's wire protocol behind the model seam: it maps Troupe's request to the provider's
 * API and the reply back, and classifies its SDK's errors. Retries, deadlines, cost and events are
 * the `LLM`'s, the same for every provider.
 */
export interface ProviderAdapter {
  attempt(request: CompletionRequest, signal: AbortSignal): Promise<AdapterReply>;
  classify(error: unknown): FailureClass;
}
