import { join, resolve } from 'node:path';
import { type MessagePort, threadId } from 'node:worker_threads';
import { expose } from 'comlink';
import {
  type AgentConfig,
  agentFromRecord,
  ConfigError,
  ConversationRuntime,
  type ConversationRuntimeOptions,
  createConsoleLogger,
  defineTool,
  type Event,
  LLM,
  type Logger,
  type Observation,
  openPersistedRuntime,
  prepareWorkspace,
  readStateFile,
  SecretRegistry,
  statsSnapshot,
  type ToolDefinition,
} from '@troupe/core';
import { z } from 'zod';
import {
  type ActorCommand,
  ActorCommandSchema,
  type ActorInit,
  ActorInitSchema,
  type ActorState,
  type ClientToolSpec,
  MAILBOX_VERSION,
  parseMailboxMessage,
  type SequencedEvent,
  SupervisorOutboundSchema,
} from './mailbox.js';
import { onMail, postMail, rpcEndpoint } from './port-endpoint.js';
import { resolveTools } from './tool-resolution.js';

/** The RPC surface an actor exposes over comlink: one validated entry point. */
export interface ActorRemote {
  dispatch(command: unknown): Promise<unknown>;
}

/**
 * A conversation actor: hosts a `ConversationRuntime` in a worker thread, takes control calls
 * over comlink, and sends its events back as batched mailbox messages (one per turn of the
 * event loop, never one message per event).
 */
export class ConversationActor implements ActorRemote {
  readonly #port: MessagePort;
  readonly #runtime: ConversationRuntime;
  #streamTokens: boolean;
  #pending: SequencedEvent[] = [];
  #flushScheduled = false;
  /** What the handle was last told of the state, but for the event count and time (batches carry those). */
  #sentState = '';
  readonly #clientCalls = new Map<string, (observation: Observation) => void>();
  #nextCallId = 0;
  readonly #closed: Promise<void>;
  #markClosed!: () => void;

  private constructor(port: MessagePort, runtime: ConversationRuntime, streamTokens: boolean) {
    this.#port = port;
    this.#runtime = runtime;
    this.#streamTokens = streamTokens;
    this.#closed = new Promise((resolveClosed) => (this.#markClosed = resolveClosed));
  }

  /** Resolves when the actor has closed (its task then ends). */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Starts an actor from its init message; reports `ready` or `init_failed` on the port. */
  static async host(port: MessagePort, rawInit: unknown): Promise<ConversationActor | null> {
    let actor: ConversationActor | null = null;
    try {
      const init = parseMailboxMessage(ActorInitSchema, rawInit, 'actor init');
      actor = await ConversationActor.#start(port, init);
    } catch (error) {
      const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
      postMail(port, { v: MAILBOX_VERSION, type: 'init_failed', error: { name, message, ...(stack ? { stack } : {}) } });
      port.close();
      return null;
    }
    return actor;
  }

  static async #start(port: MessagePort, init: z.output<typeof ActorInitSchema>): Promise<ConversationActor> {
    const conversationDir = init.persistenceDir ? join(resolve(init.persistenceDir), init.conversationId) : undefined;
    const stored = conversationDir ? await readStateFile(conversationDir) : null;
    const agent: AgentConfig | undefined = init.agent ?? (stored ? agentFromRecord(stored.agent) : undefined);
    if (!agent) {
      throw new ConfigError(
        init.persistenceDir
          ? `No stored conversation ${init.conversationId} in ${init.persistenceDir}, and no agent was given; pass agent to start a new one.`
          : 'An agent is required to start a conversation; pass agent.',
      );
    }
    const workspace = await prepareWorkspace(init.workspace ?? stored?.workspace ?? process.cwd());
    const secrets = new SecretRegistry(init.secrets);
    const logger: Logger = createConsoleLogger({ prefix: `conversation ${init.conversationId}`, mask: (text) => secrets.mask(text) });
    const tools = await resolveTools(agent.tools, {
      conversationId: init.conversationId,
      workspace,
      ...(conversationDir ? { conversationDir } : {}),
      secrets,
      logger,
    });

    let actor: ConversationActor | null = null;
    // Events emitted while opening (crash recovery) are sent once the actor exists.
    const early: SequencedEvent[] = [];
    const clientTools = init.clientTools.map((spec) => clientToolProxy(spec, (name, args, toolCallId, signal) => actor!.#callClientTool(name, args, toolCallId, signal)));
    const options: ConversationRuntimeOptions = {
      id: init.conversationId,
      agent,
      llm: new LLM(agent.llm),
      tools: [...tools, ...clientTools],
      workspace,
      logger,
      onEvent: (event, seq) => (actor ? actor.#onEvent(event, seq) : seq !== null && early.push({ seq, event })),
      ...(init.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: init.maxIterationsPerRun }),
      ...(init.stuckDetection === undefined ? {} : { stuckDetection: init.stuckDetection }),
      ...(init.confirmationPolicy === undefined ? {} : { confirmationPolicy: init.confirmationPolicy }),
      ...(init.maxCost === undefined ? {} : { maxCost: init.maxCost }),
      ...(init.secrets === undefined ? {} : { secrets: init.secrets }),
      ...(init.title === undefined ? {} : { title: init.title }),
      ...(init.durability === undefined ? {} : { durability: init.durability }),
    };
    const { runtime, resumed } = conversationDir
      ? await openPersistedRuntime({ ...options, id: init.conversationId, conversationDir })
      : { runtime: new ConversationRuntime(options), resumed: false };
    actor = new ConversationActor(port, runtime, init.streamTokens);
    actor.#pending = early;

    onMail(port, (message) => actor!.#onMail(message));
    expose(actor, rpcEndpoint(port));
    postMail(port, {
      v: MAILBOX_VERSION,
      type: 'ready',
      threadId,
      resumed,
      agent: runtime.agent,
      workspace,
      state: actor.#state(),
    });
    actor.#flush();
    return actor;
  }

  #state(): ActorState {
    const runtime = this.#runtime;
    return {
      status: runtime.status,
      stats: statsSnapshot(runtime.stats),
      ...(runtime.title === undefined ? {} : { title: runtime.title }),
      createdAt: runtime.createdAt,
      updatedAt: runtime.updatedAt,
      eventCount: runtime.events.length,
      ...(runtime.lastError ? { lastError: runtime.lastError } : {}),
      confirmationPolicy: runtime.confirmationPolicy,
      maxIterationsPerRun: runtime.maxIterationsPerRun,
      stuckDetection: runtime.stuckDetection,
      ...(runtime.maxCost === undefined ? {} : { maxCost: runtime.maxCost }),
      secretNames: runtime.secretNames,
    };
  }

  #onEvent(event: Event, seq: number | null): void {
    if (seq === null && !this.#streamTokens) return;
    this.#pending.push({ seq, event });
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  /**
   * Sends the events gathered so far, with the state they lead to, in one message. `always` sends
   * the state even without events (a command such as set_title changes it silently).
   */
  #flush(always = false): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0 && !always) return;
    const events = this.#pending;
    this.#pending = [];
    // The state goes along only when it changed: the handle advances the event count and the
    // update time from the events themselves, so most batches are just their events.
    const state = this.#state();
    const { eventCount: _count, updatedAt: _updated, ...rest } = state;
    const signature = JSON.stringify(rest);
    const changed = signature !== this.#sentState;
    this.#sentState = signature;
    postMail(this.#port, { v: MAILBOX_VERSION, type: 'events', events, ...(changed || always ? { state } : {}) });
  }

  #onMail(raw: unknown): void {
    try {
      const message = parseMailboxMessage(SupervisorOutboundSchema, raw, 'supervisor message');
      this.#clientCalls.get(message.callId)?.(message.output as Observation);
      this.#clientCalls.delete(message.callId);
    } catch (error) {
      createConsoleLogger({ prefix: `conversation ${this.#runtime.id}` }).warn((error as Error).message);
    }
  }

  #callClientTool(name: string, args: Record<string, unknown>, toolCallId: string, signal: AbortSignal): Promise<Observation> {
    const callId = String(this.#nextCallId++);
    return new Promise((resolveCall) => {
      this.#clientCalls.set(callId, resolveCall);
      signal.addEventListener('abort', () => postMail(this.#port, { v: MAILBOX_VERSION, type: 'client_tool_cancel', callId }), { once: true });
      postMail(this.#port, { v: MAILBOX_VERSION, type: 'client_tool_call', callId, name, args, toolCallId });
    });
  }

  /**
   * The single RPC entry point: validates the command, applies it, and flushes the events it
   * produced before replying, so the caller has seen them when its promise resolves.
   */
  async dispatch(raw: unknown): Promise<unknown> {
    const command = parseMailboxMessage(ActorCommandSchema, raw, 'command');
    try {
      return await this.#apply(command);
    } finally {
      this.#flush(command.type !== 'get_events');
    }
  }

  async #apply(command: ActorCommand): Promise<unknown> {
    const runtime = this.#runtime;
    switch (command.type) {
      case 'send_message':
        return runtime.sendMessage(command.message, command.sender ? { sender: command.sender } : {});
      case 'run':
        return runtime.run();
      case 'pause':
        return runtime.pause();
      case 'interrupt':
        return runtime.interrupt();
      case 'reject_pending_actions':
        return runtime.rejectPendingActions(command.reason);
      case 'set_confirmation_policy':
        return runtime.setConfirmationPolicy(command.policy);
      case 'update_secrets':
        return runtime.updateSecrets(command.secrets);
      case 'set_title':
        return runtime.setTitle(command.title);
      case 'set_stream_tokens':
        this.#streamTokens = command.enabled;
        return undefined;
      case 'get_events':
        return runtime.events.slice(command.from, command.from + command.limit);
      case 'close':
        await runtime.close();
        this.#flush();
        // Reply first, then end the task.
        setImmediate(() => {
          this.#port.close();
          this.#markClosed();
        });
        return undefined;
    }
  }
}

/** A tool that runs on the main thread: the actor forwards each call over the mailbox. */
function clientToolProxy(
  spec: ClientToolSpec,
  call: (name: string, args: Record<string, unknown>, toolCallId: string, signal: AbortSignal) => Promise<Observation>,
): ToolDefinition {
  const tool = defineTool({
    name: spec.name,
    description: spec.description,
    // The main thread validates the arguments with the tool's own zod schema.
    parameters: z.looseObject({}),
    readOnly: spec.readOnly,
    async execute(args, context) {
      const { content, is_error, ...data } = await call(spec.name, args, context.toolCallId, context.signal);
      return { content, isError: is_error, data };
    },
  });
  return { ...tool, parametersJsonSchema: spec.parameters };
}
