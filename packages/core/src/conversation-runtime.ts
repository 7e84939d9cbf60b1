import { randomUUID } from 'node:crypto';
import type { AgentConfig } from './agent-config.js';
import { type ConversationRuntimeOptions, DEFAULT_MAX_ITERATIONS, type MessageAck } from './conversation-runtime-options.js';
import { AgentStep, StepInterrupted } from './agent-step.js';
import { DEFAULT_TOOLS } from './builtin-tools.js';
import type { ConfirmationPolicyInput } from './confirmation-policy.js';
import { type Message, textContent, toUserMessage, type UserMessageInput } from './content.js';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import type { ConversationStatus } from './conversation-status.js';
import type { PersistPoint } from './conversation-store.js';
import { recoverAfterUncleanStop } from './crash-recovery.js';
import { ConfigError, ConversationClosedError, errorMessage, LLMError } from './errors.js';
import { EventJournal } from './event-journal.js';
import type { Event, MessageEvent } from './events.js';
import { createConsoleLogger, type Logger, maskingLogger } from './logger.js';
import { type ConversationStats, totalCost } from './metrics.js';
import { unmatchedActions } from './pending-actions.js';
import { RuntimeState } from './runtime-state.js';
import { SecretRegistry } from './secret-registry.js';
import { decideAfterStep, decideBeforeStep, type RunEnd, type StepResult } from './step-outcome.js';
import { actionErrorNudge, detectStuck, normalizeStuckDetection, type StuckThresholds, type StuckVerdict } from './stuck-detector.js';
import { buildSystemPrompt } from './system-prompt.js';
import { type ToolDefinition, toModelTool } from './tool.js';
import { toToolDefinitionRecord } from './tool-wire-form.js';
import type { ToolExecution } from './tool-execution.js';

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
  readonly #execution: ToolExecution;
  readonly #stuck: StuckThresholds | false;
  readonly #maxIterations: number;
  readonly #maxCost: number | undefined;
  #run: Promise<ConversationStatus> | null = null;
  #pauseRequested = false;
  #interrupt: AbortController | null = null;
  #closed = false;

  constructor(options: ConversationRuntimeOptions) {
    if (options.llm.capabilities?.tools === false) {
      throw new ConfigError(`Model ${options.llm.model} cannot call tools (model capabilities), and an agent acts through tools: choose a model with tool calling.`);
    }
    this.id = options.id ?? randomUUID();
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
    this.#stuck = normalizeStuckDetection(options.stuckDetection);
    this.#maxIterations = options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS;
    this.#maxCost = options.maxCost;
    this.#state = new RuntimeState({
      id: this.id,
      agent: options.agent,
      workspace: options.workspace,
      journal: this.#journal,
      secrets: this.#secrets,
      title: options.title,
      autoTitle: options.autoTitle ?? true,
      confirmationPolicy: options.confirmationPolicy,
      maxIterationsPerRun: this.#maxIterations,
      stuckDetection: this.#stuck,
      maxCost: this.#maxCost,
      ...(options.restored ? { restored: options.restored } : {}),
    });
    this.#execution = {
      tools,
      concurrency: options.agent.toolConcurrency,
      running: new Set(),
      contextFor: (action, signal) => ({ conversationId: this.id, workspace: this.workspace, toolCallId: action.tool_call_id, signal, secrets: this.#secrets }),
    };
    this.#step = new AgentStep({
      conversationId: this.id,
      journal: this.#journal,
      llm: options.llm,
      tools,
      modelTools: [...tools.values()].map(toModelTool),
      execution: this.#execution,
      logger: this.#logger,
      confirmationPolicy: () => this.#state.confirmationPolicy,
      resumeFromConfirmation: () => {
        if (this.#state.status === 'waiting_for_confirmation') this.#state.setStatus('running');
      },
      recordCall: (response) => this.#state.recordCall(options.llm.usageId, response.call),
      persist: (point) => this.#persist(point),
    });
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
      system_prompt: textContent(buildSystemPrompt(this.agent, { workspace: this.workspace, secretNames: this.#secrets.names() })),
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
    if (this.#run) {
      const queued = this.#state.enqueue(message, options.sender);
      await this.#persist('ack');
      return { id: queued.id, queued: true };
    }
    const event = this.#appendUserMessage(message, options.sender);
    if (this.#state.status === 'finished' || this.#state.status === 'stuck') this.#state.setStatus('idle');
    await this.#persist('ack');
    return { id: event.id, queued: false };
  }

  #appendUserMessage(message: Message, sender: string | undefined, id?: string): MessageEvent {
    const event = this.#journal.append(
      { kind: 'MessageEvent', source: 'user', llm_message: message, activated_skills: [], extended_content: [], ...(sender ? { sender } : {}) },
      id,
    ) as MessageEvent;
    this.#state.titleFrom(event);
    return event;
  }

  /** Admits queued messages at a step boundary; returns how many. */
  #admitQueued(): number {
    const queued = this.#state.takeQueued();
    for (const item of queued) this.#appendUserMessage(item.message, item.sender, item.id);
    return queued.length;
  }

  // ---------------------------------------------------------------- control

  /** Runs the agent until it finishes, pauses, waits for confirmation, or fails. A second call joins the first. */
  run(): Promise<ConversationStatus> {
    if (this.#run) return this.#run;
    this.#assertOpen();
    this.#run = this.#loop().finally(() => {
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
    for (const action of pending) {
      this.#journal.append({
        kind: 'UserRejectObservation',
        source: 'environment',
        action_id: action.id,
        tool_name: action.tool_name,
        tool_call_id: action.tool_call_id,
        rejection_reason: reason,
        rejection_source: 'user',
      });
    }
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

  async setTitle(title: string): Promise<void> {
    this.#state.setTitle(title);
    await this.#persist('step');
  }

  /** Interrupts a run in progress, closes the tools and flushes the store. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#run) await this.interrupt();
    this.#closed = true;
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
    this.#ensureSystemPrompt();
    this.#pauseRequested = false;
    if (state.status === 'finished' && !state.hasQueued) return state.status;
    state.setStatus('running');
    try {
      // Stored as running before the first model call: a crash from here on is recovered as one.
      await this.#persist('step');
      for (let iteration = 0; ; ) {
        this.#admitQueued();
        const stop = decideBeforeStep({ pauseRequested: this.#pauseRequested, stuck: this.#stuckVerdict() });
        if (stop) {
          this.#apply(stop);
          break;
        }
        this.#interrupt = new AbortController();
        let step: StepResult;
        try {
          step = await this.#step.run(this.#interrupt.signal);
        } catch (error) {
          if (!(error instanceof StepInterrupted)) throw error;
          this.#apply({ kind: 'paused', by: 'interrupt' });
          break;
        }
        iteration++;
        if (step !== 'acted') state.setStatus(step);
        const admittedAfterFinish = step === 'finished' ? this.#admitQueued() : 0;
        const limits = { maxIterations: this.#maxIterations, maxCost: this.#maxCost };
        const outcome = decideAfterStep({ step, admittedAfterFinish, iteration, spent: totalCost(state.stats), limits });
        if (outcome.kind !== 'run_again') {
          this.#apply(outcome);
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
    await this.#persist('step');
    return state.status;
  }

  /** Applies a decision that ends the run. */
  #apply(outcome: RunEnd): void {
    switch (outcome.kind) {
      case 'paused':
        this.#journal.append(outcome.by === 'pause' ? { kind: 'PauseEvent', source: 'user' } : { kind: 'InterruptEvent', source: 'user' });
        this.#state.setStatus('paused');
        return;
      case 'stuck':
        this.#state.fail('Stuck', `${outcome.verdict.pattern}: ${outcome.verdict.detail}`, 'stuck');
        return;
      case 'error':
        this.#state.fail(outcome.code, outcome.detail);
        return;
      case 'finished':
      case 'waiting_for_confirmation':
        this.#state.setStatus(outcome.kind);
        return;
    }
  }

  /** The stuck detector's verdict; a repeated error first gets a nudge to the model instead. */
  #stuckVerdict(): StuckVerdict | null {
    if (!this.#stuck) return null;
    const events = this.#journal.events;
    const verdict = detectStuck(events, this.#stuck);
    if (verdict) return verdict;
    const nudge = actionErrorNudge(events, this.#stuck);
    if (nudge) {
      this.#journal.append({ kind: 'MessageEvent', source: 'environment', llm_message: { role: 'user', content: [textContent(nudge)] }, activated_skills: [], extended_content: [] });
    }
    return null;
  }
}
