import { AnthropicAdapter } from './anthropic-adapter.js';
import { withoutApiKey } from './api-key.js';
import { AttemptDeadline } from './attempt-deadline.js';
import { ConfigError, ContextLengthExceededError, LLMAbortedError, LLMError, LLMRateLimitError } from './errors.js';
import type { CompletionRequest, CompletionResponse, LanguageModel } from './language-model.js';
import { fallbackConfig, type LLMConfig, LLMConfigSchema, type LLMOptions } from './llm-config.js';
import { checkLLMOptions } from './llm-options-check.js';
import type { LLMCallRecord } from './metrics.js';
import { type ModelCapabilities, modelCapabilities } from './model-capabilities.js';
import { OpenAIChatAdapter } from './openai-chat-adapter.js';
import { OpenAIResponsesAdapter } from './openai-responses-adapter.js';
import { lookupPrice } from './price-table.js';
import type { FailureClass, ProviderAdapter } from './provider-adapter.js';
import { routeModel } from './provider-routing.js';
import { backoffDelay, sleep } from './retry.js';
import { formatZodIssues } from './zod-issues.js';

/** A model call that did not complete (headers and whole body) within `timeoutMs`. */
class DeadlineError extends Error {
  override name = 'DeadlineError';
}

/** A model the LLM can call: its own config (the primary's, or a fallback's) and the adapter of its provider. */
interface Target {
  config: LLMConfig;
  capabilities: ModelCapabilities | undefined;
  adapter: ProviderAdapter;
}

/**
 * A chat model: a plain, zod-validated config plus the call logic every provider shares — a total
 * deadline per attempt, retries with backoff and jitter honouring `Retry-After` (capped by
 * `retryMaxDelayMs`), fallback models, abort, usage and cost. The wire protocol is the provider
 * adapter's: Anthropic's Messages API, OpenAI's Chat Completions or its Responses API.
 */
export class LLM implements LanguageModel {
  readonly config: LLMConfig;
  readonly #targets: Target[];

  constructor(options: Partial<LLMOptions> = {}) {
    const model = options.model ?? process.env.LLM_MODEL;
    if (!model) throw new ConfigError('LLM model is not set; pass model (e.g. "anthropic/claude-sonnet-4-5") or set LLM_MODEL.');
    const baseUrl = options.baseUrl ?? process.env.LLM_BASE_URL;
    const parsed = LLMConfigSchema.safeParse({ ...options, model, ...(baseUrl ? { baseUrl } : {}) });
    if (!parsed.success) throw new ConfigError(`Invalid LLM config: ${formatZodIssues(parsed.error)}`);
    this.config = parsed.data;
    this.#targets = [this.config, ...this.config.fallbacks.map((fallback) => fallbackConfig(this.config, fallback))].map(target);
  }

  /** What the model can take, from the capability table; undefined for a model not in it. */
  get capabilities(): ModelCapabilities | undefined {
    return this.#targets[0]!.capabilities;
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
    return costOf(this.config, usage);
  }

  /** The model, then each fallback in order once the one before failed for good on a provider error. */
  async complete(request: CompletionRequest): Promise<CompletionResponse> {
    for (let index = 0; ; index++) {
      const current = this.#targets[index]!;
      try {
        return await this.#completeWith(current, request);
      } catch (error) {
        const next = this.#targets[index + 1];
        if (next === undefined || !fallsBack(error)) throw error;
        request.onFallback?.({ from: current.config.model, to: next.config.model, error: error as Error });
      }
    }
  }

  async #completeWith({ config, adapter, capabilities }: Target, request: CompletionRequest): Promise<CompletionResponse> {
    const maxAttempts = config.maxRetries + 1;
    for (let attempt = 1; ; attempt++) {
      // The deadline covers the whole attempt, body included: a reply that stalls after its headers fails here.
      const deadline = new AttemptDeadline(config.timeoutMs, request.signal);
      const started = performance.now();
      try {
        const { usage, ...reply } = await adapter.attempt(request, deadline.signal);
        deadline.dispose();
        const call: LLMCallRecord = { model: config.model, responseId: reply.id, latencyMs: performance.now() - started, cost: costOf(config, usage), usage, contextWindow: capabilities?.contextWindow ?? 0 };
        return { ...reply, call };
      } catch (thrown) {
        deadline.dispose();
        if (request.signal?.aborted) throw new LLMAbortedError('The model call was aborted.', { cause: thrown });
        if (thrown instanceof ConfigError) throw thrown;
        const timedOut = deadline.expired;
        const error = timedOut ? new DeadlineError(`no complete reply within timeoutMs (${config.timeoutMs} ms)`, { cause: thrown }) : thrown;
        const failure: FailureClass = timedOut ? { retryable: true } : adapter.classify(thrown);
        if (!failure.retryable || attempt >= maxAttempts) throw finalError(config.model, error, attempt, failure);
        const policy = { minDelayMs: config.retryMinDelayMs, maxDelayMs: config.retryMaxDelayMs };
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
}

/** The model's route, capabilities and adapter; a `ConfigError` for an option its provider cannot honour. */
function target(config: LLMConfig): Target {
  const route = routeModel(config.model, config.baseUrl, { apiMode: config.apiMode, ...(config.apiVersion ? { apiVersion: config.apiVersion } : {}), env: process.env });
  const capabilities = modelCapabilities(config.model);
  checkLLMOptions(config, route, capabilities);
  const adapter =
    route.api === 'anthropic'
      ? new AnthropicAdapter(route, config, capabilities)
      : route.api === 'openai-responses'
        ? new OpenAIResponsesAdapter(route, config, capabilities)
        : new OpenAIChatAdapter(route, config);
  return { config, capabilities, adapter };
}

/** A failure worth another model: the provider's (rate limit, overload, 5xx, connection, timeout) after the retries, not the request's. */
function fallsBack(error: unknown): boolean {
  return error instanceof LLMError && error.details.retryable && !(error instanceof ContextLengthExceededError);
}

/**
 * USD for one call: input billed at full price, cache writes and cache reads at their prices (the
 * input price when the model has none), output.
 */
function costOf(config: LLMConfig, usage: LLMCallRecord['usage']): number {
  const price = lookupPrice(config.model);
  const perToken = (override: number | undefined, perMillion: number | undefined, fallback: number): number =>
    override ?? (perMillion === undefined ? fallback : perMillion / 1e6);
  const input = perToken(config.inputCostPerToken, price?.input, 0);
  const output = perToken(config.outputCostPerToken, price?.output, 0);
  const cacheRead = perToken(config.cacheReadCostPerToken, price?.cacheRead, input);
  const cacheWrite = perToken(config.cacheWriteCostPerToken, price?.cacheWrite, input);
  const uncached = Math.max(0, usage.prompt_tokens - usage.cache_read_tokens - usage.cache_write_tokens);
  return uncached * input + usage.cache_read_tokens * cacheRead + usage.cache_write_tokens * cacheWrite + usage.completion_tokens * output;
}

function finalError(model: string, error: unknown, attempts: number, failure: FailureClass): LLMError {
  const reason = error instanceof Error ? error.message : String(error);
  const details = { attempts, retryable: failure.retryable, ...(failure.status === undefined ? {} : { status: failure.status }) };
  if (failure.contextLengthExceeded) {
    return new ContextLengthExceededError(
      `The prompt is longer than the context window of ${model}: ${reason}. Condense the history (the agent's condenser does it) or start a new conversation; retrying cannot help.`,
      details,
      { cause: error },
    );
  }
  if (failure.status === 429) {
    return new LLMRateLimitError(`The provider kept rate-limiting ${model} (429) after ${attempts} attempts; wait, lower concurrency, or raise maxRetries.`, details, {
      cause: error,
    });
  }
  const hint = failure.retryable ? ` after ${attempts} attempts` : '';
  return new LLMError(`The model call to ${model} failed${hint}: ${reason}`, details, { cause: error });
}
