import { type CondensationDecision, decideCondensation } from './condensation-decision.js';
import { longestEventText, summaryPrompt } from './condensation-prompt.js';
import { type CondenserConfig, condenserLLMConfig } from './condenser-config.js';
import type { AgentConfig } from './agent-config.js';
import { textContent } from './content.js';
import type { PersistPoint } from './conversation-store.js';
import type { ConversationView, View } from './conversation-view.js';
import { ConfigError, ContextLengthExceededError, ConversationStateError, errorMessage, LLMAbortedError } from './errors.js';
import type { EventJournal } from './event-journal.js';
import type { LLMConvertibleEvent } from './events.js';
import type { CompletionResponse, LanguageModel } from './language-model.js';
import type { LLMCallRecord } from './metrics.js';
import type { Logger } from './logger.js';

/** The conversation id the condenser's model requests carry (`x-troupe-conversation-id`): the mock scripts them apart. */
export function condenserConversationId(conversationId: string): string {
  return `${conversationId}/condenser`;
}

export interface CondenserContext {
  conversationId: string;
  config: CondenserConfig;
  /** The model that writes the summaries. */
  llm: LanguageModel;
  journal: EventJournal;
  view: ConversationView;
  logger: Logger;
  recordCall(response: CompletionResponse): void;
  persist(point: PersistPoint): Promise<void>;
}

/**
 * The condenser of an agent, or null when it has none (`condenser: null`). Its calls are recorded
 * under its model's usage id: `condenserLlm`'s, else the condenser config's (`condenser` for the
 * agent's own model).
 */
export function createCondenser(
  agent: AgentConfig,
  models: { llm: LanguageModel; condenserLlm?: LanguageModel | undefined },
  context: Omit<CondenserContext, 'config' | 'llm' | 'recordCall'> & { recordCall(usageId: string, call: LLMCallRecord): void },
): Condenser | null {
  if (!agent.condenser) return null;
  const llm = models.condenserLlm ?? models.llm;
  const usageId = models.condenserLlm?.usageId ?? condenserLLMConfig(agent)!.usageId;
  return new Condenser({ ...context, config: agent.condenser, llm, recordCall: (response) => context.recordCall(usageId, response.call) });
}

/** `condense()` on a conversation without a condenser. */
export function noCondenserError(conversationId: string): ConfigError {
  return new ConfigError(`Conversation ${conversationId} cannot condense: its agent has no condenser (condenser: null). Give the agent one, e.g. condenser: { maxSize: 120, keepFirst: 4 }.`);
}

/**
 * Applies the condenser's decisions (`decideCondensation`): asks its model for a summary of the
 * forgotten events and appends the `Condensation`. Nothing is deleted: the view is recomputed from
 * the events.
 */
export class Condenser {
  readonly #context: CondenserContext;
  /** The view's length when a soft condensation last failed: the next try waits for the view to grow. */
  #softFailureAt: number | undefined;
  /** A condensation of an idle conversation in progress (`condenseIdle`): a run waits for it. */
  #idleCondensation: Promise<void> | null = null;

  constructor(context: CondenserContext) {
    this.#context = context;
  }

  /** The view, up to date with the log. */
  view(): View {
    return this.#context.view.update(this.#context.journal.events);
  }

  /**
   * Before a model call: condenses when the view passed `maxSize` or a condensation was asked for.
   * A soft condensation that fails is reported and the step goes on; a hard one that fails throws.
   * True when a condensation was appended.
   */
  async beforeModelCall(signal?: AbortSignal): Promise<boolean> {
    const decision = decideCondensation(this.view(), this.#context.config);
    if (decision.kind === 'none') return false;
    if (decision.kind === 'unavailable') {
      if (decision.requirement === 'soft') this.#context.logger.debug(`No condensation: ${decision.reason}.`);
      return false;
    }
    if (decision.requirement === 'soft' && this.#softFailureAt !== undefined && this.view().events.length < this.#softFailureAt + this.#retryGap()) return false;
    try {
      await this.#apply(decision, signal);
      this.#softFailureAt = undefined;
      return true;
    } catch (error) {
      if (decision.requirement === 'hard' || error instanceof LLMAbortedError) throw error;
      this.#softFailureAt = this.view().events.length;
      this.#report(error);
      return false;
    }
  }

  /**
   * A condensation that must happen now (the prompt was too long, or `condense()`): records a
   * `CondensationRequest` and condenses. False when there is nothing left to forget.
   */
  async condenseNow(signal?: AbortSignal): Promise<boolean> {
    this.#context.journal.append({ kind: 'CondensationRequest', source: 'environment' });
    return this.beforeModelCall(signal);
  }

  /** A running conversation's `condense()`: a request in the log, which the next step (of this run or the next) honours. */
  async request(): Promise<void> {
    this.#context.journal.append({ kind: 'CondensationRequest', source: 'environment' });
    await this.#context.persist('event');
  }

  /** An idle conversation's `condense()`: condenses now, or says why there is nothing to condense (appending nothing). */
  condenseIdle(): Promise<void> {
    const decision = decideCondensation({ events: this.view().events, condensationRequested: true }, this.#context.config);
    if (decision.kind === 'unavailable') return Promise.reject(new ConversationStateError(`Nothing to condense: ${decision.reason}.`));
    const condensing = this.condenseNow().then(() => this.#context.persist('step'));
    this.#idleCondensation = condensing.catch(() => undefined).finally(() => (this.#idleCondensation = null));
    return condensing;
  }

  /** Resolves once no idle condensation is in progress. */
  async settled(): Promise<void> {
    await this.#idleCondensation;
  }

  #retryGap(): number {
    return Math.max(1, Math.floor(this.#context.config.maxSize / 10));
  }

  #report(error: unknown): void {
    const detail = `The condenser could not summarize the history (${errorMessage(error)}); the run goes on with the whole history and tries again later.`;
    this.#context.logger.warn(detail);
    this.#context.journal.append({ kind: 'ConversationErrorEvent', source: 'environment', code: 'CondensationFailed', detail });
  }

  async #apply(decision: Extract<CondensationDecision, { kind: 'forget' }>, signal: AbortSignal | undefined): Promise<void> {
    const { journal, logger } = this.#context;
    const response = await this.#summarize(decision.forgotten, signal);
    journal.append({
      kind: 'Condensation',
      source: 'environment',
      forgotten_event_ids: decision.forgotten.map((event) => event.id),
      ...(response.content ? { summary: response.content } : {}),
      summary_offset: decision.start,
      llm_response_id: response.id,
    });
    logger.info(`Condensed the history: ${decision.forgotten.length} events summarized${decision.hardReset ? ' (all but the system prompt)' : ''}.`);
    await this.#context.persist('event');
  }

  /** One summary call; a prompt too long for the condenser's own model is retried with each event's text cut shorter. */
  async #summarize(events: readonly LLMConvertibleEvent[], signal: AbortSignal | undefined): Promise<CompletionResponse> {
    const { config, llm, conversationId } = this.#context;
    let maxEventLength: number | undefined;
    for (let retry = 0; ; retry++) {
      try {
        const response = await llm.complete({
          messages: [{ role: 'user', content: [textContent(summaryPrompt(events, maxEventLength))] }],
          tools: [],
          ...(signal ? { signal } : {}),
          conversationId: condenserConversationId(conversationId),
        });
        this.#context.recordCall(response);
        return response;
      } catch (error) {
        if (!(error instanceof ContextLengthExceededError) || retry >= config.hardContextResetMaxRetries) throw error;
        maxEventLength = Math.floor((maxEventLength ?? longestEventText(events)) * config.hardContextResetContextScaling);
        this.#context.logger.warn(`The events to summarize are too long for the condenser's model; retrying with each cut to ${maxEventLength} characters.`);
      }
    }
  }
}
