import { withoutApiKey } from './api-key.js';
import { ConfigError, ContextLengthExceededError, LLMAbortedError, LLMError, LLMRateLimitError } from './errors.js';
import type { CompletionRequest, CompletionResponse, LanguageModel } from './language-model.js';
import { type LLMConfig, LLMConfigSchema, type LLMOptions } from './llm-config.js';
import type { LLMCallRecord } from './metrics.js';
import { OpenAIChatAdapter } from './openai-chat-adapter.js';
import { lookupPrice } from './price-table.js';
import type { FailureClass, ProviderAdapter } from './provider-adapter.js';
import { routeModel } from './provider-routing.js';
import { backoffDelay, sleep } from './retry.js';
import { formatZodIssues } from './zod-issues.js';

/** A model call that did not complete (headers and whole body) within `timeoutMs`. */
class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/**
 * A chat model: a plain, zod-validated config plus the call logic every provider shares — a total
 * deadline per attempt, retries with backoff and jitter honouring `Retry-After` (capped by
 * `retryMaxDelayMs`), abort, usage and cost. The wire protocol is the provider adapter's.
 */
export class LLM implements LanguageModel {
  readonly config: LLMConfig;
  readonly #adapter: ProviderAdapter;

  constructor(options: Partial<LLMOptions> = {}) {
    const model = options.model ?? process.env.LLM_MODEL;
    if (!model) throw new ConfigError('LLM model is not set; pass model (e.g. "anthropic/claude-sonnet-4-5") or set LLM_MODEL.');
    const baseUrl = options.baseUrl ?? process.env.LLM_BASE_URL;
    const parsed = LLMConfigSchema.safeParse({ ...options, model, ...(baseUrl ? { baseUrl } : {}) });
    if (!parsed.success) throw new ConfigError(`Invalid LLM config: ${formatZodIssues(parsed.error)}`);
    this.config = parsed.data;
    this.#adapter = new OpenAIChatAdapter(routeModel(this.config.model, this.config.baseUrl), this.config);
  }

  get usageId(): string {
    return this.config.usageId;
  }

  get model(): string {
    return this.config.model;
  }

  /** The config without the API key: safe to log, persist and show. */
  toJSON(): LLMConfig {
    return withoutApiKey(this.config);
  }

  /** USD for one call from the configured per-token prices or the built-in table (0 when unknown). */
  costOf(usage: LLMCallRecord['usage']): number {
    const price = lookupPrice(this.config.model);
    const input = this.config.inputCostPerToken ?? (price ? price.input / 1e6 : 0);
    const output = this.config.outputCostPerToken ?? (price ? price.output / 1e6 : 0);
    const cacheRead = this.config.cacheReadCostPerToken ?? (price?.cacheRead !== undefined ? price.cacheRead / 1e6 : input);
    const uncached = Math.max(0, usage.prompt_tokens - usage.cache_read_tokens);
    return uncached * input + usage.cache_read_tokens * cacheRead + usage.completion_tokens * output;
  }

  async complete(request: CompletionRequest): Promise<CompletionResponse> {
    const maxAttempts = this.config.maxRetries + 1;
    for (let attempt = 1; ; attempt++) {
      // The deadline covers the whole attempt, body included: a reply that stalls after its headers fails here.
      const deadline = AbortSignal.timeout(this.config.timeoutMs);
      const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
      const started = performance.now();
      try {
        const { usage, ...reply } = await this.#adapter.attempt(request, signal);
        const call: LLMCallRecord = { model: this.config.model, responseId: reply.id, latencyMs: performance.now() - started, cost: this.costOf(usage), usage };
        return { ...reply, call };
      } catch (thrown) {
        if (request.signal?.aborted) throw new LLMAbortedError('The model call was aborted.', { cause: thrown });
        if (thrown instanceof ConfigError) throw thrown;
        const timedOut = deadline.aborted;
        const error = timedOut ? new DeadlineError(`no complete reply within timeoutMs (${this.config.timeoutMs} ms)`, { cause: thrown }) : thrown;
        const failure: FailureClass = timedOut ? { retryable: true } : this.#adapter.classify(thrown);
        if (!failure.retryable || attempt >= maxAttempts) throw this.#finalError(error, attempt, failure);
        const policy = { minDelayMs: this.config.retryMinDelayMs, maxDelayMs: this.config.retryMaxDelayMs };
        const delayMs = backoffDelay(attempt, policy, failure.retryAfterMs);
        const capped = failure.retryAfterMs !== undefined && failure.retryAfterMs > delayMs ? { retryAfterCappedFromMs: failure.retryAfterMs } : {};
        request.onRetry?.({ attempt, delayMs, error: error as Error, ...capped });
        try {
          await sleep(delayMs, request.signal);
        } catch (abortReason) {
          throw new LLMAbortedError('The model call was aborted while waiting to retry.', { cause: abortReason });
        }
      }
    }
  }

  #finalError(error: unknown, attempts: number, failure: FailureClass): LLMError {
    const reason = error instanceof Error ? error.message : String(error);
    const details = { attempts, retryable: failure.retryable, ...(failure.status === undefined ? {} : { status: failure.status }) };
    if (failure.contextLengthExceeded) {
      return new ContextLengthExceededError(
        `The prompt is longer than the context window of ${this.config.model}: ${reason}. Condense the history (the agent's condenser does it) or start a new conversation; retrying cannot help.`,
        details,
        { cause: error },
      );
    }
    if (failure.status === 429) {
      return new LLMRateLimitError(
        `The provider kept rate-limiting ${this.config.model} (429) after ${attempts} attempts; wait, lower concurrency, or raise maxRetries.`,
        details,
        { cause: error },
      );
    }
    const hint = failure.retryable ? ` after ${attempts} attempts` : '';
    return new LLMError(`The model call to ${this.config.model} failed${hint}: ${reason}`, details, { cause: error });
  }
}
