import { type ConfirmationPolicy, requiresConfirmation } from './confirmation-policy.js';
import type { ConversationHooks } from './conversation-hooks.js';
import type { PersistPoint } from './conversation-store.js';
import type { Condenser } from './condenser.js';
import { ConversationMessages } from './conversation-messages.js';
import type { ConversationView } from './conversation-view.js';
import { ContextLengthExceededError, errorMessage, LLMAbortedError } from './errors.js';
import type { EventJournal } from './event-journal.js';
import type { ActionEvent, EventInit } from './events.js';
import { lastUserMessageBlocked } from './hook-decision.js';
import type { CompletionResponse, FallbackNotice, LanguageModel, ModelTool, RetryNotice } from './language-model.js';
import type { Logger } from './logger.js';
import { resolveModelResponse } from './model-response.js';
import { unmatchedActions } from './pending-actions.js';
import type { StepResult } from './step-outcome.js';
import type { ToolDefinition } from './tool.js';
import { executeActions, type ToolExecution } from './tool-execution.js';
import { traceModelCall } from './tracing.js';

/** Ends a step early: the conversation was interrupted. */
export class StepInterrupted extends Error {
  override name = 'StepInterrupted';
}

export interface AgentStepContext {
  conversationId: string;
  journal: EventJournal;
  llm: LanguageModel;
  /** What the model sees of the history, kept up to date with the log. */
  view: ConversationView;
  /** Condenses the view before a model call and when the prompt was too long; null: the whole history is sent. */
  condenser: Condenser | null;
  tools: ReadonlyMap<string, ToolDefinition>;
  modelTools: readonly ModelTool[];
  execution: ToolExecution;
  logger: Logger;
  confirmationPolicy(): ConfirmationPolicy;
  /** Pending actions were approved: the conversation leaves `waiting_for_confirmation`. */
  resumeFromConfirmation(): void;
  recordCall(response: CompletionResponse): void;
  persist(point: PersistPoint): Promise<void>;
  /** The conversation's hooks, when it has any. */
  hooks: ConversationHooks | undefined;
  /** A PreToolUse hook blocked this action. */
  blockAction(actionId: string, reason: string): void;
  /** The user messages a hook kept from the model. */
  blockedMessageIds(): ReadonlySet<string>;
}

/**
 * One step of the agent: the pending (approved or restored) actions, or else one model call whose
 * reply is resolved into events and whose tool calls run (unless they must be confirmed first).
 */
export class AgentStep {
  readonly #context: AgentStepContext;
  /** The messages of the model request, kept up to date with the view. */
  /** Made by the first step: an idle conversation holds none. */
  #messages: ConversationMessages | undefined;
  /** Every action before this index has its result: the per-step scan starts here. */
  #settledUpTo = 0;

  constructor(context: AgentStepContext) {
    this.#context = context;
  }

  async run(signal: AbortSignal): Promise<StepResult> {
    const context = this.#context;
    const events = context.journal.events;
    const pending = unmatchedActions(events, this.#settledUpTo);
    if (pending.length > 0) {
      context.resumeFromConfirmation();
      return this.#execute(pending, signal);
    }
    this.#settledUpTo = events.length;
    const blockedMessages = context.blockedMessageIds();
    // The newest user message was blocked by a hook: the turn ends without a model call.
    if (lastUserMessageBlocked(events, blockedMessages)) return 'finished';
    let response: CompletionResponse;
    try {
      await context.condenser?.beforeModelCall(signal);
      response = await traceModelCall(context.conversationId, context.llm, () => this.#complete(signal));
    } catch (error) {
      if (error instanceof LLMAbortedError && signal.aborted) throw new StepInterrupted('interrupted', { cause: error });
      throw error;
    }
    context.recordCall(response);
    const resolved = resolveModelResponse(response, context.tools);
    const appended = resolved.events.map((init) => context.journal.append(init));
    await context.persist('event');
    if (resolved.outcome === 'finished') return 'finished';
    const executable = resolved.executable.map((index) => appended[index] as ActionEvent);
    if (executable.length === 0) return 'acted';
    if (requiresConfirmation(context.confirmationPolicy(), executable, context.tools)) return 'waiting_for_confirmation';
    return this.#execute(executable, signal);
  }

  /** The model call on the view; a prompt too long for the model is condensed and the call made once more. */
  async #complete(signal: AbortSignal): Promise<CompletionResponse> {
    try {
      return await this.#call(signal);
    } catch (error) {
      const condenser = this.#context.condenser;
      if (!(error instanceof ContextLengthExceededError) || !condenser) throw error;
      this.#context.logger.warn(`${error.message} Condensing the history and trying once more.`);
      if (!(await condenser.condenseNow(signal))) throw error;
      return this.#call(signal);
    }
  }

  #call(signal: AbortSignal): Promise<CompletionResponse> {
    const context = this.#context;
    return context.llm.complete({
      messages: (this.#messages ??= new ConversationMessages(context.view)).update(context.journal.events, { images: context.llm.capabilities?.vision !== false, blockedMessages: context.blockedMessageIds() }),
      tools: [...context.modelTools],
      signal,
      conversationId: context.conversationId,
      onToken: (delta) => context.journal.delta(delta),
      onRetry: (notice) => this.#onRetry(notice),
      onFallback: (notice) => this.#onFallback(notice),
    });
  }

  #onRetry({ attempt, delayMs, error, retryAfterCappedFromMs }: RetryNotice): void {
    this.#context.logger.warn(`Model call failed (${errorMessage(error)}); retry ${attempt} in ${Math.round(delayMs)} ms.`);
    if (retryAfterCappedFromMs === undefined) return;
    // The provider asked for a longer wait than the retry policy allows: say so; the run goes on.
    this.#context.journal.append({
      kind: 'ConversationErrorEvent',
      source: 'environment',
      code: 'RetryAfterCapped',
      detail: `The provider asked to wait ${Math.round(retryAfterCappedFromMs / 1000)} s (Retry-After); retry ${attempt} waits ${Math.round(delayMs)} ms, the LLM's retryMaxDelayMs.`,
    });
  }

  /** The LLM gave up on its model and tries the next one: the log says so (a `ConversationErrorEvent` OpenHands clients read); the run goes on. */
  #onFallback({ from, to, error }: FallbackNotice): void {
    this.#context.logger.warn(`Model ${from} failed (${errorMessage(error)}); falling back to ${to}.`);
    this.#context.journal.append({
      kind: 'ConversationErrorEvent',
      source: 'environment',
      code: 'ModelFallback',
      detail: `${from} failed after its retries (${errorMessage(error)}); the LLM goes on with its fallback ${to}.`,
    });
  }

  /**
   * Runs a batch of actions and appends their results in order; persists first when one has side
   * effects. PreToolUse hooks run first: an action one blocks gets a rejection instead of running;
   * PostToolUse hooks run after each observation is recorded.
   */
  async #execute(actions: readonly ActionEvent[], signal: AbortSignal): Promise<StepResult> {
    const { tools, journal, hooks } = this.#context;
    const blocked = new Map<string, string>();
    for (const action of hooks ? actions : []) {
      if (signal.aborted) break;
      const reason = await hooks!.beforeAction(action, signal);
      if (reason === undefined) continue;
      blocked.set(action.id, reason);
      this.#context.blockAction(action.id, reason);
      this.#context.logger.info(`A PreToolUse hook blocked ${action.tool_name}: ${reason}`);
    }
    const runnable = actions.filter((action) => !blocked.has(action.id));
    if (runnable.some((action) => !tools.get(action.tool_name)?.readOnly)) await this.#context.persist('side_effect');
    const ran = await executeActions(runnable, this.#context.execution, signal);
    const resultOf = new Map(runnable.map((action, index) => [action.id, ran[index]!]));
    let finished = false;
    for (const action of actions) {
      const reason = blocked.get(action.id);
      const result: EventInit = reason === undefined
        ? resultOf.get(action.id)!
        : { kind: 'UserRejectObservation', source: 'environment', action_id: action.id, tool_name: action.tool_name, tool_call_id: action.tool_call_id, rejection_reason: reason, rejection_source: 'hook' };
      const appended = journal.append(result);
      if (appended.kind !== 'ObservationEvent') continue;
      if (tools.get(action.tool_name)?.finishesRun) finished = true;
      if (hooks && !signal.aborted) await hooks.afterAction(action, appended, signal);
    }
    await this.#context.persist('event');
    if (signal.aborted) throw new StepInterrupted('interrupted');
    return finished ? 'finished' : 'acted';
  }
}
