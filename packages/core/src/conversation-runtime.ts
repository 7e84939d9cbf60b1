import type { Skill } from './agent-context.js';
import type { AgentConfig } from './agent-config.js';
import { type Condenser, createCondenser, noCondenserError } from './condenser.js';
import { ConversationView } from './conversation-view.js';
import { type ConversationRuntimeOptions, DEFAULT_MAX_ITERATIONS, type MessageAck } from './conversation-runtime-options.js';
import { AgentStep, StepInterrupted } from './agent-step.js';
import { ASK_AGENT_USAGE_ID, askAgentAnswer, askModel } from './ask-agent.js';
import { DEFAULT_TOOLS } from './builtin-tools.js';
import type { ConfirmationPolicyInput } from './confirmation-policy.js';
import { textContent, toUserMessage, type UserMessageInput } from './content.js';
import { ConversationHooks } from './conversation-hooks.js';
import { forkClosingEvents } from './conversation-fork.js';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import type { ConversationStatus } from './conversation-status.js';
import type { PersistPoint } from './conversation-store.js';
import { recoverAfterUncleanStop } from './crash-recovery.js';
import { ConfigError, ConversationClosedError, errorMessage, LLMError } from './errors.js';
import { generateTitle } from './conversation-title.js';
import type { LanguageModel, ModelTool } from './language-model.js';
import { EventJournal } from './event-journal.js';
import type { Event } from './events.js';
import { parseHookConfig } from './hook-config.js';
import { createConsoleLogger, type Logger, maskingLogger } from './logger.js';
import { type ConversationStats, totalCost } from './metrics.js';
import { unmatchedActions, userRejection } from './pending-actions.js';
import { randomId } from './random-id.js';
import { type DelegationRecord, RuntimeState } from './runtime-state.js';
import { SecretRegistry } from './secret-registry.js';
import { decideAfterStep, decideBeforeStep, type StepResult } from './step-outcome.js';
import { applyRunEnd, stuckVerdict } from './run-end.js';
import { normalizeStuckDetection, type StuckThresholds } from './stuck-detector.js';
import { buildSystemPrompt } from './system-prompt.js';
import { type ToolDefinition, toModelTool } from './tool.js';
import { toToolDefinitionRecord } from './tool-wire-form.js';
import type { ToolExecution } from './tool-execution.js';
import { traceRun, traceStep } from './tracing.js';
import { ModelAutoTitle } from './model-auto-title.js';
import { UserMessageIntake } from './user-message-intake.js';
import { conversationSkills } from './workspace-context.js';

/**
 * One conversation's agent loop and status machine, in-process. The actor of @troupe/workers
 * hosts it in a worker thread; it runs as well on the main thread (tests, the bench's baseline).
 *
 * The loop: admit queued messages → decide whether to step (`decideBeforeStep`: pause, stuck) →
 * one step (`AgentStep`: the pending actions, or a model call and its tool calls) → decide what
 * follows (`decideAfterStep`: finished, confirmation, limits, or again). Decisions are pure
 * functions; this class applies them.
 */
export class ConversationRuntime {
  readonly id: string;
  readonly agent: AgentConfig;
  readonly workspace: string;
  readonly #tools: ReadonlyMap<string, ToolDefinition>;
  readonly #secrets: SecretRegistry;
  readonly #logger: Logger;
  readonly #journal: EventJournal;
  readonly #state: RuntimeState;
  readonly #step: AgentStep;
  readonly #llm: LanguageModel;
  readonly #modelTools: ModelTool[];
  readonly #condenser: Condenser | null;
  /** What the model sees of the log (condensations applied); the step and `askAgent` read it. */
  readonly #view = new ConversationView();
  readonly #skills: { repository: Skill[]; knowledge: Skill[] };
  /** The loop is taking steps (a run that has left its loop is only saving its state). */
  #stepping = false;
  readonly #execution: ToolExecution;
  readonly #stuck: StuckThresholds | false;
  readonly #maxIterations: number;
  readonly #maxCost: number | undefined;
  readonly #hooks: ConversationHooks | undefined;
  /** SessionStart hooks ran (at the first message or run of this runtime); SessionEnd runs at close. */
  readonly #intake: UserMessageIntake;
  readonly #modelTitle: ModelAutoTitle | undefined;
  #run: Promise<ConversationStatus> | null = null;
  #pauseRequested = false;
  #interrupt: AbortController | null = null;
  #closed = false;

  constructor(options: ConversationRuntimeOptions) {
    if (options.llm.capabilities?.tools === false) {
      throw new ConfigError(`Model ${options.llm.model} cannot call tools (model capabilities), and an agent acts through tools: choose a model with tool calling.`);
    }
    this.id = options.id ?? randomId();
    this.agent = options.agent;
    this.workspace = options.workspace;
    const tools = new Map<string, ToolDefinition>();
    for (const tool of [...options.tools, ...DEFAULT_TOOLS]) if (!tools.has(tool.name)) tools.set(tool.name, tool);
    this.#tools = tools;
    this.#secrets = new SecretRegistry(options.secrets, options.maskedValues);
    this.#logger = maskingLogger(options.logger ?? createConsoleLogger({ prefix: `conversation ${this.id}` }), (text) => this.#secrets.mask(text));
    this.#journal = new EventJournal(
      { secrets: this.#secrets, logger: this.#logger, store: options.store, durability: options.durability ?? 'step', onEvent: options.onEvent },
      options.restored?.events,
    );
    if (options.forkOf) this.#journal.copy(options.forkOf.events);
    this.#stuck = normalizeStuckDetection(options.stuckDetection);
    this.#maxIterations = options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS;
    this.#maxCost = options.maxCost;
    const hookConfig = options.hookConfig === undefined ? options.restored?.snapshot.hookConfig : parseHookConfig(options.hookConfig);
    this.#hooks = ConversationHooks.of({ config: hookConfig, conversationId: this.id, workspace: this.workspace, secrets: this.#secrets, journal: this.#journal, logger: this.#logger });
    this.#state = new RuntimeState({
      id: this.id,
      agent: options.agent,
      workspace: options.workspace,
      journal: this.#journal,
      secrets: this.#secrets,
      title: options.title,
      autoTitle: (options.autoTitle ?? true) === true,
      confirmationPolicy: options.confirmationPolicy,
      maxIterationsPerRun: this.#maxIterations,
      stuckDetection: this.#stuck,
      maxCost: this.#maxCost,
      hookConfig,
      ...(options.restored ? { restored: options.restored } : {}),
      ...(options.forkOf ? { forked: options.forkOf } : {}),
      ...(options.parentConversationId === undefined ? {} : { parentConversationId: options.parentConversationId }),
    });
    this.#execution = {
      conversationId: this.id,
      tools,
      concurrency: options.agent.toolConcurrency,
      running: new Set(),
      contextFor: (action, signal) => ({ conversationId: this.id, workspace: this.workspace, toolCallId: action.tool_call_id, signal, secrets: this.#secrets }),
    };
    this.#llm = options.llm;
    this.#modelTools = [...tools.values()].map(toModelTool);
    this.#skills = conversationSkills(options.agent.agentContext, options.workspaceContext);
    this.#modelTitle = options.autoTitle === 'model' ? this.#createModelTitle(options.llm) : undefined;
    this.#intake = new UserMessageIntake({
      journal: this.#journal,
      state: this.#state,
      modelTitle: this.#modelTitle,
      hooks: this.#hooks,
      knowledgeSkills: this.#skills.knowledge,
      userMessageSuffix: options.agent.agentContext.userMessageSuffix,
      logger: this.#logger,
    });
    const view = this.#view;
    this.#condenser = createCondenser(options.agent, options, {
      conversationId: this.id,
      journal: this.#journal,
      view,
      logger: this.#logger,
      recordCall: (usageId, call) => this.#state.recordCall(usageId, call),
      persist: (point) => this.#persist(point),
    });
    this.#step = new AgentStep({
      conversationId: this.id,
      journal: this.#journal,
      llm: options.llm,
      view,
      condenser: this.#condenser,
      tools,
      modelTools: this.#modelTools,
      execution: this.#execution,
      logger: this.#logger,
      confirmationPolicy: () => this.#state.confirmationPolicy,
      resumeFromConfirmation: () => {
        if (this.#state.status === 'waiting_for_confirmation') this.#state.setStatus('running');
      },
      // Not `options`: a closure over it would keep all of it (the restored events too) for the runtime's life.
      recordCall: (response) => this.#state.recordCall(this.#llm.usageId, response.call),
      persist: (point) => this.#persist(point),
      hooks: this.#hooks,
      blockAction: (actionId, reason) => this.#state.blockAction(actionId, reason),
      blockedMessageIds: () => this.#state.blockedMessageIds,
    });
    if (options.forkOf) {
      for (const event of forkClosingEvents(this.#journal.events)) this.#journal.append(event);
      this.#state.setStatus('idle');
    }
  }

  /** Makes a conversation loaded from disk consistent after an unclean stop (see `recoverAfterUncleanStop`), then saves it. */
  async recoverAfterLoad(notes: { tornLine?: { line: number } } = {}): Promise<void> {
    const recovery = recoverAfterUncleanStop(this.#journal.events, this.#state.status, notes);
    for (const event of recovery.events) this.#journal.append(event);
    if (recovery.status) this.#state.setStatus(recovery.status);
    await this.#persist('step');
  }

  /**
   * Records a problem the conversation goes on with (an MCP server that would not start): a
   * `ConversationErrorEvent` in the log, the status and the last error unchanged.
   */
  async reportError(code: string, detail: string): Promise<void> {
    this.#assertOpen();
    this.#journal.append({ kind: 'ConversationErrorEvent', source: 'environment', code, detail });
    await this.#persist('step');
  }

  get status(): ConversationStatus {
    return this.#state.status;
  }

  get events(): readonly Event[] {
    return this.#journal.events;
  }

  get stats(): ConversationStats {
    return this.#state.stats;
  }

  /** Grows with every change of the snapshot but for new events: whoever mirrors the snapshot resends it when this moved. */
  get revision(): number {
    return this.#state.revision;
  }

  /** Everything about the conversation but its events. */
  snapshot(): ConversationSnapshot {
    return this.#state.snapshot();
  }

  /** Writes the state and events now (a new persisted conversation is listed before its first message). */
  async save(): Promise<void> {
    await this.#persist('step');
  }

  #persist(point: PersistPoint): Promise<void> {
    return this.#journal.persist(point, () => this.#state.snapshot());
  }

  #ensureSystemPrompt(): void {
    if (this.#journal.events.some((event) => event.kind === 'SystemPromptEvent')) return;
    this.#journal.append({
      kind: 'SystemPromptEvent',
      source: 'agent',
      system_prompt: textContent(
        buildSystemPrompt(this.agent, { workspace: this.workspace, secretNames: this.#secrets.names(), tools: [...this.#tools.values()], repositorySkills: this.#skills.repository }),
      ),
      tools: [...this.#tools.values()].map(toToolDefinitionRecord),
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConversationClosedError(`Conversation ${this.id} is closed; create or resume it again to use it.`);
  }

  // ---------------------------------------------------------------- messages

  /**
   * Adds a user message. While the agent runs, the message waits for the next step boundary and
   * is always seen by a later model call; otherwise it is appended at once. Resolves once the
   * message is stored as durably as the durability mode promises.
   */
  async sendMessage(input: UserMessageInput, options: { sender?: string } = {}): Promise<MessageAck> {
    this.#assertOpen();
    const message = toUserMessage(input);
    this.#ensureSystemPrompt();
    await this.#intake.startSession();
    if (this.#run) {
      const queued = this.#state.enqueue(message, options.sender);
      await this.#persist('ack');
      return { id: queued.id, queued: true };
    }
    const event = await this.#intake.append(message, options.sender);
    if (this.#state.status === 'finished' || this.#state.status === 'stuck') this.#state.setStatus('idle');
    await this.#persist('ack');
    return { id: event.id, queued: false };
  }

  // ---------------------------------------------------------------- control

  /** Runs the agent until it finishes, pauses, waits for confirmation, or fails. A second call joins the first. */
  run(): Promise<ConversationStatus> {
    if (this.#run) return this.#run;
    this.#assertOpen();
    this.#run = traceRun(this.id, () => this.#loop()).finally(() => {
      this.#run = null;
      this.#interrupt = null;
    });
    return this.#run;
  }

  /** Stops at the next step boundary, letting the current model call and tools finish. Resolves when stopped. */
  async pause(): Promise<void> {
    if (this.#run) {
      this.#pauseRequested = true;
      await this.#run;
      return;
    }
    if (this.#state.status === 'idle') {
      this.#journal.append({ kind: 'PauseEvent', source: 'user' });
      this.#state.setStatus('paused');
      await this.#persist('step');
    }
  }

  /**
   * Stops now: aborts the model call and running tools, records an error result for every
   * unfinished action, and leaves the conversation paused. `run()` resumes.
   */
  async interrupt(): Promise<void> {
    if (!this.#run) return this.pause();
    const run = this.#run;
    this.#interrupt?.abort(new StepInterrupted('interrupted'));
    await Promise.all(
      [...this.#execution.running].map(async (tool) => {
        try {
          await tool.interrupt?.();
        } catch (error) {
          this.#logger.warn(`Interrupting tool ${tool.name} failed.`, { error: errorMessage(error) });
        }
      }),
    );
    await run;
  }

  /** Approves the actions waiting for confirmation and runs them (same as `run()`). */
  approve(): Promise<ConversationStatus> {
    return this.run();
  }

  /** Rejects every action waiting for confirmation; the model is told why on the next run. */
  async rejectPendingActions(reason = 'User rejected the action'): Promise<number> {
    this.#assertOpen();
    const pending = unmatchedActions(this.#journal.events);
    for (const action of pending) this.#journal.append(userRejection(action, reason));
    if (this.#state.status === 'waiting_for_confirmation') this.#state.setStatus('idle');
    await this.#persist('step');
    return pending.length;
  }

  async setConfirmationPolicy(policy: ConfirmationPolicyInput): Promise<void> {
    this.#state.setConfirmationPolicy(policy);
    await this.#persist('step');
  }

  /** Adds or replaces secrets. Values are never stored; only names are. */
  async updateSecrets(secrets: Record<string, string>): Promise<void> {
    this.#secrets.update(secrets);
    this.#state.secretsChanged();
    await this.#persist('step');
  }

  /**
   * Condenses the history now (OpenHands' `condense()`): the middle of the view is replaced by a
   * summary, or, when the usual rule forgets nothing, everything but the system prompt. While the
   * agent runs, the condensation happens before its next model call. Refused when the agent has no
   * condenser or there is nothing to condense.
   */
  async condense(): Promise<void> {
    this.#assertOpen();
    if (!this.#condenser) throw noCondenserError(this.id);
    if (this.#run && this.#stepping) return this.#condenser.request();
    // A run that has left its loop is only saving: condense once it has.
    if (this.#run) await this.#run;
    await this.#condenser.condenseIdle();
  }

  /** Records what a delegate tool did (sub-conversations started, a sub-agent's costs) and stores it. */
  async recordDelegation(record: DelegationRecord): Promise<void> {
    this.#state.recordDelegation(record);
    await this.#persist('step');
  }

  async setTitle(title: string): Promise<void> {
    this.#state.setTitle(title);
    await this.#persist('step');
  }

  /**
   * One model call over the conversation's context (the messages its next step would send) plus
   * the question; the answer adds no event and changes no status, and a run going on is not
   * touched. Its tokens and cost count under `ASK_AGENT_USAGE_ID`.
   */
  async askAgent(question: string): Promise<string> {
    this.#assertOpen();
    const events = this.#journal.events;
    const context = { events: this.#view.update(events).events, llm: this.#llm, tools: this.#modelTools, conversationId: this.id, blockedMessages: this.#state.blockedMessageIds, hookEventsFrom: events };
    const response = await askModel(context, question);
    this.#state.recordCall(ASK_AGENT_USAGE_ID, response.call);
    await this.#persist('step');
    return askAgentAnswer(response);
  }

  /** Titles the conversation by its first user message with `llm` (default: the agent's model), falling back to that message, cut. */
  async generateTitle(options: { llm?: LanguageModel; maxLength?: number } = {}): Promise<string> {
    this.#assertOpen();
    const llm = options.llm ?? this.#llm;
    const title = await generateTitle({
      events: this.#journal.events,
      llm,
      ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
      conversationId: this.id,
      onCall: (response) => this.#state.recordCall(llm.usageId, response.call),
      onError: (error) => this.#logger.warn(`The model could not write a title (${errorMessage(error)}); the first message, cut, is the title.`),
    });
    await this.setTitle(title);
    return title;
  }

  /** The auto-title written by the agent's model (`autoTitle: 'model'`); a failed call is a `ConversationErrorEvent`, as in OpenHands. */
  #createModelTitle(llm: LanguageModel): ModelAutoTitle {
    return new ModelAutoTitle({
      conversationId: this.id,
      llm,
      title: () => this.#state.title,
      apply: (title) => this.setTitle(title),
      recordCall: (response) => this.#state.recordCall(llm.usageId, response.call),
      reportFailure: (error) => this.#journal.append({ kind: 'ConversationErrorEvent', source: 'environment', code: error instanceof Error ? error.name : 'Error', detail: errorMessage(error) }),
      logger: this.#logger,
    });
  }

  /** Interrupts a run in progress, closes the tools and flushes the store. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#run) await this.interrupt();
    await this.#modelTitle?.close();
    this.#closed = true;
    if (this.#intake.sessionStarted) await this.#hooks?.sessionEnd();
    for (const tool of this.#tools.values()) {
      try {
        await tool.close?.();
      } catch (error) {
        this.#logger.warn(`Closing tool ${tool.name} failed.`, { error: errorMessage(error) });
      }
    }
    await this.#persist('step');
    await this.#journal.close();
  }

  // ---------------------------------------------------------------- the loop

  async #loop(): Promise<ConversationStatus> {
    const state = this.#state;
    await this.#condenser?.settled();
    this.#ensureSystemPrompt();
    await this.#intake.startSession();
    this.#pauseRequested = false;
    if (state.status === 'finished' && !state.hasQueued) return state.status;
    state.setStatus('running');
    this.#stepping = true;
    try {
      // Stored as running before the first model call: a crash from here on is recovered as one.
      await this.#persist('step');
      for (let iteration = 0; ; ) {
        await this.#intake.admitQueued();
        const stop = decideBeforeStep({ pauseRequested: this.#pauseRequested, stuck: stuckVerdict(this.#journal, this.#stuck) });
        if (stop) {
          applyRunEnd(stop, this.#journal, this.#state);
          break;
        }
        this.#interrupt = new AbortController();
        const { signal } = this.#interrupt;
        let step: StepResult;
        try {
          step = await traceStep(this.id, iteration + 1, () => this.#step.run(signal));
        } catch (error) {
          if (!(error instanceof StepInterrupted)) throw error;
          applyRunEnd({ kind: 'paused', by: 'interrupt' }, this.#journal, this.#state);
          break;
        }
        iteration++;
        const admittedAfterFinish = step === 'finished' ? await this.#intake.admitQueued() : 0;
        const stopBlocked = step === 'finished' && admittedAfterFinish === 0 && (await this.#intake.stopBlocked());
        if (step !== 'acted' && !stopBlocked) state.setStatus(step);
        const limits = { maxIterations: this.#maxIterations, maxCost: this.#maxCost };
        const outcome = decideAfterStep({ step, admittedAfterFinish, stopBlocked, iteration, spent: totalCost(state.stats), limits });
        if (outcome.kind !== 'run_again') {
          applyRunEnd(outcome, this.#journal, this.#state);
          break;
        }
        state.setStatus('running');
        await this.#persist('step');
      }
    } catch (error) {
      const code = error instanceof LLMError ? error.name : 'InternalError';
      this.#logger.error('The run failed.', { code, error: errorMessage(error) });
      state.fail(code, errorMessage(error));
    }
    this.#stepping = false;
    await this.#persist('step');
    // A message queued while the run was storing its end is this run's to answer, as one admitted after its finish.
    if (state.status === 'finished' && state.hasQueued) return this.#loop();
    return state.status;
  }
}
