import { randomUUID } from 'node:crypto';
import { type AgentConfig, agentToRecord } from './agent.js';
import { DEFAULT_TOOLS } from './builtin-tools.js';
import {
  type ConfirmationPolicy,
  type ConfirmationPolicyInput,
  normalizeConfirmationPolicy,
  requiresConfirmation,
} from './confirmation-policy.js';
import { textContent, toUserMessage, type UserMessageInput } from './content.js';
import {
  type ConversationState,
  type ConversationStatus,
  type QueuedMessage,
  SCHEMA_VERSION,
} from './conversation-state.js';
import { type ConversationStore, type Durability, type PersistPoint, persistPolicy } from './conversation-store.js';
import { ConversationClosedError, errorMessage, LLMAbortedError, LLMError } from './errors.js';
import {
  type ActionEvent,
  createEvent,
  type Event,
  type EventInit,
  type MessageEvent,
  type TokenEvent,
} from './events.js';
import { eventsToMessages } from './events-to-messages.js';
import type { LanguageModel, TokenDelta } from './llm.js';
import { createConsoleLogger, type Logger, maskingLogger } from './logger.js';
import { emptyStats, recordCall, totalCost, type ConversationStats } from './metrics.js';
import { resolveModelResponse } from './model-response.js';
import { unmatchedActions } from './pending-actions.js';
import { SecretRegistry } from './secret-registry.js';
import { actionErrorNudge, detectStuck, normalizeStuckDetection, type StuckDetectionInput, type StuckThresholds } from './stuck-detector.js';
import { buildSystemPrompt } from './system-prompt.js';
import { type ToolContext, type ToolDefinition, toObservation, toToolSpec } from './tool.js';

export const DEFAULT_MAX_ITERATIONS = 500;

export interface ConversationRuntimeOptions {
  id?: string;
  agent: AgentConfig;
  /** The model to call (an `LLM` built from `agent.llm`, or a scripted model in tests). */
  llm: LanguageModel;
  /** The agent's tools, already made for this conversation; `finish` and `think` are added. */
  tools: readonly ToolDefinition[];
  workspace: string;
  maxIterationsPerRun?: number;
  stuckDetection?: StuckDetectionInput;
  confirmationPolicy?: ConfirmationPolicyInput;
  /** Stop with an error once the conversation has cost this many USD. */
  maxCost?: number;
  secrets?: Record<string, string>;
  title?: string;
  store?: ConversationStore;
  durability?: Durability;
  /** Every event, in order, including live-only token events. */
  onEvent?: (event: Event, seq: number | null) => void;
  logger?: Logger;
  /** A conversation loaded from disk: its events and stored state. */
  restored?: { events: Event[]; state: ConversationState };
}

export interface MessageAck {
  /** The id of the MessageEvent the message becomes. */
  id: string;
  /** True when the agent was busy: the message waits for the next step boundary. */
  queued: boolean;
}

const RECOVERED_TOOL_ERROR =
  'Tool call interrupted: the process running this conversation stopped before the tool finished. It was not run again; check its effects before retrying.';

const INTERRUPTED_TOOL_ERROR = 'Tool call interrupted before completion: the conversation was interrupted. It may have partially run.';

/** Ends a step early: the conversation was interrupted. */
class StepInterrupted extends Error {
  override name = 'StepInterrupted';
}

/**
 * One conversation's agent loop and status machine, in-process. The actor of @troupe/workers
 * hosts it in a worker thread; it runs as well on the main thread (tests, the bench's baseline).
 *
 * A step: admit queued messages → stuck check → one model call (or the pending actions) →
 * execute the tool calls → append their results. Decisions are pure functions
 * (`resolveModelResponse`, `requiresConfirmation`, `detectStuck`); this class applies them.
 */
export class ConversationRuntime {
  readonly id: string;
  readonly agent: AgentConfig;
  readonly workspace: string;
  readonly #llm: LanguageModel;
  readonly #tools: ReadonlyMap<string, ToolDefinition>;
  readonly #toolSpecs;
  readonly #secrets: SecretRegistry;
  readonly #logger: Logger;
  readonly #store: ConversationStore | undefined;
  readonly #durability: Durability;
  readonly #onEvent: ConversationRuntimeOptions['onEvent'];
  readonly #events: Event[] = [];
  #createdAt: string;
  #updatedAt: string;
  #status: ConversationStatus = 'idle';
  #stats: ConversationStats;
  #policy: ConfirmationPolicy;
  #stuck: StuckThresholds | false;
  #maxIterations: number;
  #maxCost: number | undefined;
  #title: string | undefined;
  #lastError: { code: string; detail: string } | undefined;
  #queue: QueuedMessage[] = [];
  /** Every action before this index has its result: the per-step scan starts here. */
  #settledUpTo = 0;
  #run: Promise<ConversationStatus> | null = null;
  #pauseRequested = false;
  #interrupt: AbortController | null = null;
  readonly #runningTools = new Set<ToolDefinition>();
  #closed = false;

  constructor(options: ConversationRuntimeOptions) {
    this.id = options.id ?? randomUUID();
    this.agent = options.agent;
    this.workspace = options.workspace;
    this.#llm = options.llm;
    const tools = new Map<string, ToolDefinition>();
    for (const tool of [...options.tools, ...DEFAULT_TOOLS]) if (!tools.has(tool.name)) tools.set(tool.name, tool);
    this.#tools = tools;
    this.#toolSpecs = [...tools.values()].map(toToolSpec);
    this.#secrets = new SecretRegistry(options.secrets);
    this.#logger = maskingLogger(options.logger ?? createConsoleLogger({ prefix: `conversation ${this.id}` }), (text) => this.#secrets.mask(text));
    this.#store = options.store;
    this.#durability = options.durability ?? 'step';
    this.#onEvent = options.onEvent;
    this.#policy = normalizeConfirmationPolicy(options.confirmationPolicy);
    this.#stuck = normalizeStuckDetection(options.stuckDetection);
    this.#maxIterations = options.maxIterationsPerRun ?? DEFAULT_MAX_ITERATIONS;
    this.#maxCost = options.maxCost;
    this.#title = options.title;
    this.#stats = emptyStats();
    this.#createdAt = new Date().toISOString();
    this.#updatedAt = this.#createdAt;
    if (options.restored) this.#restore(options.restored);
  }

  #restore({ events, state }: { events: Event[]; state: ConversationState }): void {
    this.#events.push(...events);
    // The log is written before the state, so a status change it holds is the newest.
    this.#status = lastStatusIn(events) ?? state.execution_status;
    this.#stats = state.stats;
    this.#policy = state.confirmation_policy;
    this.#title = state.title;
    this.#lastError = state.last_error;
    this.#createdAt = state.created_at;
    this.#updatedAt = state.updated_at;
    const admitted = new Set(events.map((event) => event.id));
    this.#queue = state.queued_messages.filter((queued) => !admitted.has(queued.id));
  }

  /**
   * Makes a conversation loaded from disk consistent after an unclean stop (crash, kill, dead
   * thread): a dropped torn line is reported; if it was running, every action left without a
   * result gets an error result (it is never run again) and the conversation becomes paused,
   * with an event that says why.
   */
  async recoverAfterLoad(notes: { tornLine?: { line: number } } = {}): Promise<void> {
    if (notes.tornLine) {
      this.#emit({
        kind: 'ConversationErrorEvent',
        source: 'environment',
        code: 'TornEventDropped',
        detail: `The last line of events.jsonl (line ${notes.tornLine.line}) was cut short by an unclean stop and was dropped.`,
      });
    }
    if (this.#status === 'running') {
      for (const action of unmatchedActions(this.#events)) {
        this.#emit({ kind: 'AgentErrorEvent', source: 'agent', error: RECOVERED_TOOL_ERROR, tool_name: action.tool_name, tool_call_id: action.tool_call_id });
      }
      this.#emit({
        kind: 'PauseEvent',
        source: 'environment',
        reason: 'Recovered after an unclean stop: the conversation was running when its process or thread stopped. Call run() to continue.',
      });
      this.#setStatus('paused');
    }
    await this.#persist('step');
  }

  get status(): ConversationStatus {
    return this.#status;
  }

  get events(): readonly Event[] {
    return this.#events;
  }

  get stats(): ConversationStats {
    return this.#stats;
  }

  get title(): string | undefined {
    return this.#title;
  }

  get createdAt(): string {
    return this.#createdAt;
  }

  get updatedAt(): string {
    return this.#updatedAt;
  }

  get lastError(): { code: string; detail: string } | undefined {
    return this.#lastError;
  }

  get confirmationPolicy(): ConfirmationPolicy {
    return this.#policy;
  }

  get maxIterationsPerRun(): number {
    return this.#maxIterations;
  }

  get stuckDetection(): StuckThresholds | false {
    return this.#stuck;
  }

  get maxCost(): number | undefined {
    return this.#maxCost;
  }

  /** Names of the conversation's secrets (never their values). */
  get secretNames(): string[] {
    return this.#secrets.names();
  }

  /** Writes the state and events now (a new persisted conversation is listed before its first message). */
  async save(): Promise<void> {
    await this.#persist('step');
  }

  get isRunning(): boolean {
    return this.#run !== null;
  }

  /** The stored form of everything but the events (`state.json`). */
  snapshot(): ConversationState {
    return {
      schema_version: SCHEMA_VERSION,
      id: this.id,
      agent: agentToRecord(this.agent),
      workspace: this.workspace,
      execution_status: this.#status,
      confirmation_policy: this.#policy,
      max_iterations: this.#maxIterations,
      stuck_detection: this.#stuck,
      ...(this.#maxCost === undefined ? {} : { max_cost: this.#maxCost }),
      stats: this.#stats,
      ...(this.#title === undefined ? {} : { title: this.#title }),
      created_at: this.#createdAt,
      updated_at: this.#updatedAt,
      secret_names: this.#secrets.names(),
      queued_messages: this.#queue,
      event_count: this.#events.length,
      ...(this.#lastError ? { last_error: this.#lastError } : {}),
    };
  }

  // ---------------------------------------------------------------- events and persistence

  /** Appends an event (secrets masked) to the log and tells the listener. `id` is for pre-assigned ids. */
  #emit<E extends EventInit>(init: E, id?: string): Event {
    const event = this.#secrets.maskDeep({ ...createEvent(init), ...(id ? { id } : {}) }) as unknown as Event;
    const seq = this.#events.length;
    this.#events.push(event);
    this.#updatedAt = event.timestamp;
    this.#store?.append(seq, event);
    this.#notify(event, seq);
    return event;
  }

  #notify(event: Event, seq: number | null): void {
    try {
      this.#onEvent?.(event, seq);
    } catch (error) {
      this.#logger.error('An event listener threw; the event is kept and the run goes on.', { error: errorMessage(error) });
    }
  }

  #emitToken(delta: TokenDelta): void {
    const token = createEvent({ kind: 'TokenEvent', source: 'agent', ...delta }) as TokenEvent;
    this.#notify(this.#secrets.maskDeep(token), null);
  }

  async #persist(point: PersistPoint): Promise<void> {
    if (!this.#store) return;
    const { write, sync } = persistPolicy(this.#durability, point);
    if (!write) return;
    await this.#store.persist(point === 'event' || point === 'side_effect' ? null : this.snapshot(), sync);
  }

  #setStatus(status: ConversationStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    this.#emit({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'execution_status', value: status });
  }

  #fail(code: string, detail: string, status: ConversationStatus = 'error'): void {
    this.#lastError = { code, detail };
    this.#emit({ kind: 'ConversationErrorEvent', source: 'environment', code, detail });
    this.#setStatus(status);
  }

  #ensureSystemPrompt(): void {
    if (this.#events.some((event) => event.kind === 'SystemPromptEvent')) return;
    this.#emit({
      kind: 'SystemPromptEvent',
      source: 'agent',
      system_prompt: textContent(buildSystemPrompt(this.agent, { workspace: this.workspace, secretNames: this.#secrets.names() })),
      tools: this.#toolSpecs,
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConversationClosedError(`Conversation ${this.id} is closed; create or resume it again to use it.`);
  }

  // ---------------------------------------------------------------- public control

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
      const queued: QueuedMessage = {
        id: randomUUID(),
        message,
        ...(options.sender ? { sender: options.sender } : {}),
        queued_at: new Date().toISOString(),
      };
      this.#queue.push(queued);
      await this.#persist('ack');
      return { id: queued.id, queued: true };
    }
    const event = this.#appendUserMessage(message, options.sender);
    if (this.#status === 'finished' || this.#status === 'stuck') this.#setStatus('idle');
    this.#title ??= titleFrom(event);
    await this.#persist('ack');
    return { id: event.id, queued: false };
  }

  #appendUserMessage(message: MessageEvent['llm_message'], sender: string | undefined, id?: string): MessageEvent {
    const init: EventInit = { kind: 'MessageEvent', source: 'user', llm_message: message, activated_skills: [], extended_content: [], ...(sender ? { sender } : {}) };
    return this.#emit(init, id) as MessageEvent;
  }

  /** Admits queued messages at a step boundary; returns how many. */
  #admitQueued(): number {
    const queued = this.#queue;
    if (queued.length === 0) return 0;
    this.#queue = [];
    for (const item of queued) {
      const event = this.#appendUserMessage(item.message, item.sender, item.id);
      this.#title ??= titleFrom(event);
    }
    return queued.length;
  }

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
    if (this.#status === 'idle') {
      this.#emit({ kind: 'PauseEvent', source: 'user' });
      this.#setStatus('paused');
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
    await Promise.all([...this.#runningTools].map(async (tool) => {
      try {
        await tool.interrupt?.();
      } catch (error) {
        this.#logger.warn(`Interrupting tool ${tool.name} failed.`, { error: errorMessage(error) });
      }
    }));
    await run;
  }

  /** Approves the actions waiting for confirmation and runs them (same as `run()`). */
  approve(): Promise<ConversationStatus> {
    return this.run();
  }

  /** Rejects every action waiting for confirmation; the model is told why on the next run. */
  async rejectPendingActions(reason = 'User rejected the action'): Promise<number> {
    this.#assertOpen();
    const pending = unmatchedActions(this.#events);
    for (const action of pending) {
      this.#emit({
        kind: 'UserRejectObservation',
        source: 'environment',
        action_id: action.id,
        tool_name: action.tool_name,
        tool_call_id: action.tool_call_id,
        rejection_reason: reason,
        rejection_source: 'user',
      });
    }
    if (this.#status === 'waiting_for_confirmation') this.#setStatus('idle');
    await this.#persist('step');
    return pending.length;
  }

  async setConfirmationPolicy(policy: ConfirmationPolicyInput): Promise<void> {
    this.#policy = normalizeConfirmationPolicy(policy);
    this.#emit({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'confirmation_policy', value: this.#policy });
    await this.#persist('step');
  }

  /** Adds or replaces secrets. Values are never stored; only names are. */
  async updateSecrets(secrets: Record<string, string>): Promise<void> {
    this.#secrets.update(secrets);
    await this.#persist('step');
  }

  async setTitle(title: string): Promise<void> {
    this.#title = title;
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
    await this.#store?.close();
  }

  // ---------------------------------------------------------------- the loop

  async #loop(): Promise<ConversationStatus> {
    this.#ensureSystemPrompt();
    this.#pauseRequested = false;
    if (this.#status === 'finished' && this.#queue.length === 0) return this.#status;
    this.#setStatus('running');
    try {
      for (let iteration = 0; ; ) {
        this.#admitQueued();
        if (this.#pauseRequested) {
          this.#emit({ kind: 'PauseEvent', source: 'user' });
          this.#setStatus('paused');
          break;
        }
        if (this.#stuck && this.#checkStuck(this.#stuck)) break;

        this.#interrupt = new AbortController();
        try {
          await this.#step(this.#interrupt.signal);
        } catch (error) {
          if (!(error instanceof StepInterrupted)) throw error;
          this.#emit({ kind: 'InterruptEvent', source: 'user' });
          this.#setStatus('paused');
          break;
        }
        iteration++;

        if (this.#status === 'waiting_for_confirmation') break;
        if (this.#status === 'finished') {
          // A message that raced the final step is answered: the loop goes on.
          if (this.#admitQueued() === 0) break;
          this.#setStatus('running');
        }
        if (this.#maxCost !== undefined && totalCost(this.#stats) >= this.#maxCost) {
          this.#fail('MaxBudgetReached', `The conversation reached its cost budget of $${this.#maxCost} (spent $${totalCost(this.#stats).toFixed(4)}).`);
          break;
        }
        if (iteration >= this.#maxIterations) {
          this.#fail('MaxIterationsReached', `The run reached its limit of ${this.#maxIterations} iterations; call run() to continue.`);
          break;
        }
        await this.#persist('step');
      }
    } catch (error) {
      const code = error instanceof LLMError ? error.name : 'InternalError';
      this.#logger.error('The run failed.', { code, error: errorMessage(error) });
      this.#fail(code, errorMessage(error));
    }
    await this.#persist('step');
    return this.#status;
  }

  /** Applies the stuck detector; returns true when the run must stop. */
  #checkStuck(thresholds: StuckThresholds): boolean {
    const verdict = detectStuck(this.#events, thresholds);
    if (verdict) {
      this.#lastError = { code: 'Stuck', detail: verdict.detail };
      this.#emit({ kind: 'ConversationErrorEvent', source: 'environment', code: 'Stuck', detail: verdict.detail, stuck_pattern: verdict.pattern });
      this.#setStatus('stuck');
      return true;
    }
    const nudge = actionErrorNudge(this.#events, thresholds);
    if (nudge) {
      this.#emit({ kind: 'MessageEvent', source: 'environment', llm_message: { role: 'user', content: [textContent(nudge)] }, activated_skills: [], extended_content: [] });
    }
    return false;
  }

  async #step(signal: AbortSignal): Promise<void> {
    const pending = unmatchedActions(this.#events, this.#settledUpTo);
    if (pending.length > 0) {
      // Approved (or restored) actions run before the model is asked again.
      if (this.#status === 'waiting_for_confirmation') this.#setStatus('running');
      await this.#execute(pending, signal);
      return;
    }
    this.#settledUpTo = this.#events.length;
    let response;
    try {
      response = await this.#llm.complete({
        messages: eventsToMessages(this.#events),
        tools: this.#toolSpecs,
        signal,
        conversationId: this.id,
        onToken: (delta) => this.#emitToken(delta),
        onRetry: ({ attempt, delayMs, error }) =>
          this.#logger.warn(`Model call failed (${errorMessage(error)}); retry ${attempt} in ${Math.round(delayMs)} ms.`),
      });
    } catch (error) {
      if (error instanceof LLMAbortedError && signal.aborted) throw new StepInterrupted('interrupted', { cause: error });
      throw error;
    }
    recordCall(this.#stats, this.#llm.usageId, response.call);
    const resolved = resolveModelResponse(response, this.#tools);
    for (const event of resolved.events) this.#emit(event);
    await this.#persist('event');
    if (resolved.outcome === 'finished') {
      this.#setStatus('finished');
      return;
    }
    if (resolved.executable.length === 0) return;
    if (requiresConfirmation(this.#policy, resolved.executable, this.#tools)) {
      this.#setStatus('waiting_for_confirmation');
      return;
    }
    await this.#execute(resolved.executable, signal);
  }

  /**
   * Runs a batch of actions (up to `toolConcurrency` at once) and appends their results in the
   * batch's order. On interrupt, unfinished actions get an error result and the step ends.
   */
  async #execute(actions: readonly ActionEvent[], signal: AbortSignal): Promise<void> {
    if (actions.some((action) => !this.#tools.get(action.tool_name)?.readOnly)) await this.#persist('side_effect');
    const results: Array<EventInit | undefined> = new Array(actions.length);
    let next = 0;
    const worker = async () => {
      while (next < actions.length && !signal.aborted) {
        const index = next++;
        results[index] = await this.#executeOne(actions[index]!, signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.agent.toolConcurrency, actions.length) }, worker));
    let finished = false;
    actions.forEach((action, index) => {
      const result = results[index] ?? {
        kind: 'AgentErrorEvent' as const,
        source: 'agent' as const,
        error: INTERRUPTED_TOOL_ERROR,
        tool_name: action.tool_name,
        tool_call_id: action.tool_call_id,
      };
      this.#emit(result);
      if (result.kind === 'ObservationEvent' && this.#tools.get(action.tool_name)?.finishesRun) finished = true;
    });
    await this.#persist('event');
    if (signal.aborted) throw new StepInterrupted('interrupted');
    if (finished) this.#setStatus('finished');
  }

  /** Executes one action; a throwing tool becomes an error result, never a crashed run. Undefined when interrupted. */
  async #executeOne(action: ActionEvent, signal: AbortSignal): Promise<EventInit | undefined> {
    const tool = this.#tools.get(action.tool_name);
    if (!tool) {
      return { kind: 'AgentErrorEvent', source: 'agent', error: `Tool '${action.tool_name}' not found.`, tool_name: action.tool_name, tool_call_id: action.tool_call_id };
    }
    const context: ToolContext = {
      conversationId: this.id,
      workspace: this.workspace,
      toolCallId: action.tool_call_id,
      signal,
      secrets: this.#secrets,
    };
    this.#runningTools.add(tool);
    try {
      const output = await raceAbort(Promise.resolve().then(() => tool.execute(action.action ?? {}, context)), signal);
      if (output === ABORTED) return undefined;
      return {
        kind: 'ObservationEvent',
        source: 'environment',
        observation: toObservation(output),
        action_id: action.id,
        tool_name: action.tool_name,
        tool_call_id: action.tool_call_id,
      };
    } catch (error) {
      if (signal.aborted) return undefined;
      return {
        kind: 'AgentErrorEvent',
        source: 'agent',
        error: `Error executing tool '${action.tool_name}': ${errorMessage(error)}`,
        tool_name: action.tool_name,
        tool_call_id: action.tool_call_id,
      };
    } finally {
      this.#runningTools.delete(tool);
    }
  }
}

const ABORTED = Symbol('aborted');

/** Settles with the promise, or with ABORTED as soon as the signal aborts (the promise is left to finish alone). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function lastStatusIn(events: readonly Event[]): ConversationStatus | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.kind === 'ConversationStateUpdateEvent' && event.key === 'execution_status') return event.value as ConversationStatus;
  }
  return undefined;
}

/** A conversation's default title: the start of its first user message. */
function titleFrom(event: MessageEvent): string | undefined {
  const text = event.llm_message.content.find((part) => part.type === 'text')?.text.trim();
  if (!text) return undefined;
  const line = text.split('\n')[0]!;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
