/**
 * Token usage the mock reported, per request and summed per conversation, in one shape for both
 * wire protocols. The totals are kept even when the request log is off (the bench), so a bench can
 * compare the input billed at full price with caching (`inputTokens`) and without (`promptTokens`).
 */

/** The usage of one answered request. */
export interface MockTokenUsage {
  /** Input billed at full price: not read from the prompt cache and not written to it. */
  inputTokens: number;
  /** Input written to the prompt cache (Anthropic bills it at 1.25x; always 0 on the OpenAI route). */
  cacheCreationInputTokens: number;
  /** Input read from the prompt cache (Anthropic bills it at 0.1x; OpenAI's `cached_tokens`). */
  cacheReadInputTokens: number;
  outputTokens: number;
}

export interface MockUsageTotals extends MockTokenUsage {
  /** Answered requests counted. */
  requests: number;
  /** All input: inputTokens + cacheCreationInputTokens + cacheReadInputTokens (the full-price input without caching). */
  promptTokens: number;
}

export interface MockUsageReport {
  total: MockUsageTotals;
  /** By conversation id; requests without one are not listed here (they count in `total`). */
  conversations: Record<string, MockUsageTotals>;
}

export class UsageLedger {
  #total = emptyTotals();
  readonly #conversations = new Map<string, MockUsageTotals>();

  add(conversationId: string | null, usage: MockTokenUsage): void {
    addTo(this.#total, usage);
    if (conversationId === null) return;
    let totals = this.#conversations.get(conversationId);
    if (totals === undefined) this.#conversations.set(conversationId, (totals = emptyTotals()));
    addTo(totals, usage);
  }

  /** The totals of one conversation (zero when it has none), or of all requests. */
  totals(conversationId?: string): MockUsageTotals {
    const totals = conversationId === undefined ? this.#total : this.#conversations.get(conversationId);
    return { ...(totals ?? emptyTotals()) };
  }

  report(): MockUsageReport {
    return { total: this.totals(), conversations: Object.fromEntries([...this.#conversations].map(([id, totals]) => [id, { ...totals }])) };
  }

  reset(): void {
    this.#total = emptyTotals();
    this.#conversations.clear();
  }
}

function emptyTotals(): MockUsageTotals {
  return { requests: 0, inputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, outputTokens: 0, promptTokens: 0 };
}

function addTo(totals: MockUsageTotals, usage: MockTokenUsage): void {
  totals.requests++;
  totals.inputTokens += usage.inputTokens;
  totals.cacheCreationInputTokens += usage.cacheCreationInputTokens;
  totals.cacheReadInputTokens += usage.cacheReadInputTokens;
  totals.outputTokens += usage.outputTokens;
  totals.promptTokens += usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
}
