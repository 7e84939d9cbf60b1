import { type MessagePort, threadId } from 'node:worker_threads';
import { expose } from 'comlink';
import {
  type AgentConfig,
  ConfigError,
  configApiKeys,
  type ConversationStatus,
  condenserLLMConfig,
  ConversationRuntime,
  type ConversationRuntimeOptions,
  type ConversationStorage,
  countEvents,
  createConsoleLogger,
  credentialValues,
  DEFAULT_TOOLS,
  DELEGATE_TOOL_NAME,
  type Event,
  firstSeqAtOrAfter,
  type HookConfig,
  loadPlugins,
  mergePlugins,
  forkedEvents,
  LLM,
  type LLMConfig,
  loadWorkspaceContext,
  type Logger,
  mcpCredentialValues,
  openPersistedRuntime,
  prepareWorkspace,
  searchEvents,
  SecretRegistry,
  serializeError,
  type ToolDefinition,
  type WorkspaceContext,
} from '@troupe/core';
import type { z } from 'zod';
import { ClientToolCaller } from './client-tool-caller.js';
import { controlLane } from './control-lane.js';
import { DelegateTool } from './delegate-tool.js';
import { DelegationCaller } from './delegation-caller.js';
import { FlushTiming } from './flush-timing.js';
import { isDelegationMail } from './delegation-mail.js';
import {
  type ActorCommand,
  ActorCommandSchema,
  type ForkSource,
  ActorInitSchema,
  MAILBOX_VERSION,
  type MirroredSnapshot,
  parseMailboxMessage,
  type SequencedEvent,
} from './mailbox.js';
import { type McpTools, startMcpTools } from './mcp-tools.js';
import { mirrored, mirroredChange } from './mirrored-snapshot.js';
import { onMail, postMail, rpcEndpoint } from './port-endpoint.js';
import { storageFor } from './storage-resolution.js';
import { resolveTools } from './tool-resolution.js';
import { toolThread } from './tool-thread.js';
import { ToolThreadSession } from './tool-thread-session.js';

/** The RPC surface an actor exposes over comlink: one validated entry point. */
export interface ActorRemote {
  dispatch(command: unknown): Promise<unknown>;
}

/** What the actor keeps of its tools: the secrets of tools made here, the session of those in the tool thread, the MCP servers. */
interface ActorTools {
  secrets: SecretRegistry;
  session: ToolThreadSession;
  mcp: McpTools;
  /** The delegate tool, when the agent has it. */
  delegate: DelegateTool | undefined;
}

/**
 * A conversation actor: hosts a `ConversationRuntime` in a worker thread, takes control calls and
 * queries over comlink, and sends its events back as batched mailbox messages (one per turn of the
 * event loop, never one message per event), with the snapshot when it changed.
 */
export class ConversationActor implements ActorRemote {
  readonly #port: MessagePort;
  readonly #runtime: ConversationRuntime;
  /** The environment's secrets (tools made here) and the conversation's tools in the tool thread. */
  readonly #tools: ActorTools;
  #streamTokens: boolean;
  /** Someone on the handle's side subscribed to the events (else they stay in the log here). */
  #forwardEvents: boolean;
  /** Every event before this sequence number was sent to the handle, or was in the log when the actor opened. */
  #announced: number;
  #pending: SequencedEvent[] = [];
  readonly #flushTiming = new FlushTiming(() => this.#flush());
  /** The runtime's revision and status when the handle was last sent the snapshot. */
  #sentRevision = -1;
  #sentStatus: ConversationStatus | undefined;
  /** The agent of the snapshot the handle was last sent (the runtime keeps one object until the agent changes). */
  #sentAgent: AgentConfig | undefined;
  /** The log's length the handle was last told (by events, the snapshot or progress). */
  #sentCount: number;
  readonly #closed: Promise<void>;
  #markClosed!: () => void;

  private constructor(port: MessagePort, runtime: ConversationRuntime, tools: ActorTools, forwarding: { streamTokens: boolean; forwardEvents: boolean }, early: SequencedEvent[]) {
    this.#port = port;
    this.#runtime = runtime;
    this.#tools = tools;
    this.#streamTokens = forwarding.streamTokens;
    this.#forwardEvents = forwarding.forwardEvents;
    // Events emitted while opening (crash recovery) are news to the handle; the rest of the log it reads on request.
    this.#announced = runtime.events.length - early.length;
    this.#sentCount = this.#announced;
    if (this.#forwardEvents) this.#pending = early;
    this.#closed = new Promise((resolveClosed) => (this.#markClosed = resolveClosed));
  }

  /** Resolves when the actor has closed (its task then ends). */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Starts an actor from its init message; reports `ready` or `init_failed` on the port. */
  static async host(port: MessagePort, rawInit: unknown): Promise<ConversationActor | null> {
    try {
      const init = parseMailboxMessage(ActorInitSchema, rawInit, 'actor init');
      return await ConversationActor.#start(port, init);
    } catch (error) {
      postMail(port, { v: MAILBOX_VERSION, type: 'init_failed', error: serializeError(error) });
      port.close();
      return null;
    }
  }

  static async #start(port: MessagePort, init: z.output<typeof ActorInitSchema>): Promise<ConversationActor> {
    const spec = init.storage ?? (init.persistenceDir ? { kind: 'file' as const, dir: init.persistenceDir } : undefined);
    const storage: ConversationStorage | undefined = spec ? await storageFor(spec) : undefined;
    const conversationDir = storage?.localDir(init.conversationId);
    const stored = storage ? await storage.readSnapshot(init.conversationId) : null;
    const givenAgent: AgentConfig | undefined = init.agent ?? stored?.agent;
    if (!givenAgent) {
      throw new ConfigError(
        storage
          ? `No stored conversation ${init.conversationId} in ${storage.location(init.conversationId)}, and no agent was given; pass agent to start a new one.`
          : 'An agent is required to start a conversation; pass agent.',
      );
    }
    const workspace = await prepareWorkspace(init.workspace ?? stored?.workspace ?? process.cwd());
    // A resumed conversation keeps its stored hooks (plugin hooks already merged in) unless given new ones.
    const merged = mergePlugins(givenAgent, init.hookConfig, await loadPlugins(init.plugins ?? [], workspace));
    const agent = merged.agent;
    const hookConfig = stored && init.hookConfig === undefined ? undefined : merged.hookConfig;
    const workspaceContext = await loadWorkspaceContext(workspace, agent.agentContext);
    const condenserLLM = condenserLLMConfig(agent);
    const maskedValues = [...configApiKeys(agent.llm), ...(condenserLLM ? configApiKeys(condenserLLM) : []), ...credentialValues(), ...mcpCredentialValues(agent.mcpConfig)];
    const secrets = new SecretRegistry(init.secrets, maskedValues);
    const logger: Logger = createConsoleLogger({ prefix: `conversation ${init.conversationId}`, mask: (text) => secrets.mask(text) });
    const environment = { conversationId: init.conversationId, workspace, ...(conversationDir ? { conversationDir } : {}) };
    const delegate = delegateToolFor(agent, init, port);
    const toolSession = new ToolThreadSession(toolThread(), { environment, secrets: init.secrets ?? {}, maskedValues, logger });
    let mcp: McpTools | undefined;
    try {
      const refs = agent.tools.filter((tool) => tool.name !== DELEGATE_TOOL_NAME);
      const tools = [...(await resolveTools(refs, { ...environment, secrets, logger }, toolSession)), ...(delegate ? [delegate.tool] : [])];
      const takenNames = new Set([...tools, ...DEFAULT_TOOLS].map((tool) => tool.name).concat(init.clientTools.map((tool) => tool.name)));
      mcp = await startMcpTools(agent.mcpConfig, { workspace, logger, secrets: init.secrets ?? {}, takenNames });
      return await ConversationActor.#open(
        port,
        init,
        { agent, workspace, storage, maskedValues, logger, tools: [...tools, ...mcp.tools], condenserLLM, workspaceContext, hookConfig },
        { secrets, session: toolSession, mcp, delegate },
      );
    } catch (error) {
      toolSession.close();
      await mcp?.close();
      throw error;
    }
  }

  static async #open(
    port: MessagePort,
    init: z.output<typeof ActorInitSchema>,
    made: {
      agent: AgentConfig;
      workspace: string;
      storage: ConversationStorage | undefined;
      maskedValues: string[];
      logger: Logger;
      tools: ToolDefinition[];
      condenserLLM: LLMConfig | null;
      workspaceContext: WorkspaceContext;
      hookConfig: HookConfig | undefined;
    },
    actorTools: ActorTools,
  ): Promise<ConversationActor> {
    const { agent, workspace, storage, maskedValues, logger, tools, condenserLLM, workspaceContext, hookConfig } = made;
    let actor: ConversationActor | null = null;
    // Events emitted while opening (crash recovery) are sent once the actor exists.
    const early: SequencedEvent[] = [];
    const clientTools = new ClientToolCaller(port, init.clientTools);
    const options: ConversationRuntimeOptions & { id: string } = {
      id: init.conversationId,
      agent,
      llm: new LLM(agent.llm),
      ...(condenserLLM ? { condenserLlm: new LLM(condenserLLM) } : {}),
      workspaceContext,
      tools: [...tools, ...clientTools.tools],
      workspace,
      logger,
      maskedValues,
      onEvent: (event, seq) => (actor ? actor.#onEvent(event, seq) : seq !== null && early.push({ seq, event })),
      ...(init.maxIterationsPerRun === undefined ? {} : { maxIterationsPerRun: init.maxIterationsPerRun }),
      ...(init.stuckDetection === undefined ? {} : { stuckDetection: init.stuckDetection }),
      ...(init.confirmationPolicy === undefined ? {} : { confirmationPolicy: init.confirmationPolicy }),
      ...(init.maxCost === undefined ? {} : { maxCost: init.maxCost }),
      ...(init.secrets === undefined ? {} : { secrets: init.secrets }),
      ...(init.title === undefined ? {} : { title: init.title }),
      ...(init.autoTitle === undefined ? {} : { autoTitle: init.autoTitle }),
      ...(hookConfig === undefined ? {} : { hookConfig }),
      ...(init.durability === undefined ? {} : { durability: init.durability }),
      ...(init.fork === undefined ? {} : { forkOf: init.fork }),
      ...(init.parentConversationId === undefined ? {} : { parentConversationId: init.parentConversationId }),
    };
    const { runtime, resumed } = storage ? await ConversationActor.#openStored(storage, options, tools) : { runtime: new ConversationRuntime(options), resumed: false };
    actor = new ConversationActor(port, runtime, actorTools, { streamTokens: init.streamTokens, forwardEvents: init.forwardEvents }, early);
    // A server that would not start leaves the conversation working without its tools, and says so in the log.
    for (const failure of actorTools.mcp.failures) await runtime.reportError('McpServerError', failure.detail);

    actorTools.delegate?.bind(runtime);
    onMail(port, (message) => (isDelegationMail(message) ? actorTools.delegate?.onMail(message, logger) : clientTools.onMail(message, logger)));
    expose(actor, rpcEndpoint(port));
    actor.#sentRevision = runtime.revision;
    const snapshot = runtime.snapshot();
    actor.#sentAgent = snapshot.agent;
    actor.#sentStatus = snapshot.status;
    // The doorbell the handle rings with each call: the thread takes calls between the events of its other actors.
    postMail(port, { v: MAILBOX_VERSION, type: 'ready', threadId, resumed, snapshot: mirrored(snapshot), doorbell: controlLane.open(port) });
    actor.#flush();
    return actor;
  }

  /** Opens the stored conversation (a shared storage may first wait for another writer's claim to end); the tools are closed when that fails. */
  static async #openStored(storage: ConversationStorage, options: ConversationRuntimeOptions & { id: string }, tools: readonly ToolDefinition[]) {
    try {
      return await openPersistedRuntime({ ...options, opened: await storage.open(options.id) });
    } catch (error) {
      await Promise.allSettled(tools.map(async (tool) => tool.close?.()));
      throw error;
    }
  }

  #onEvent(event: Event, seq: number | null): void {
    // A busy thread appends events often: control mail waiting for any of its actors is taken here.
    controlLane.poll();
    if (seq === null ? !this.#streamTokens : !this.#forwardEvents) {
      // Not sent: the handle still learns the log's length (at the next flush).
      if (seq === null) return;
    } else {
      this.#pending.push({ seq, event });
      if (seq !== null) this.#announced = seq + 1;
    }
    if (this.#pending.length > 0 || this.#runtime.status !== this.#sentStatus) this.#flushTiming.soon();
    else this.#flushTiming.later();
  }

  /**
   * Sends the events gathered so far in one message, with the snapshot when it changed otherwise
   * than by the events (the handle advances the event count and update time from the events
   * themselves, so most batches are just their events). `always` sends even an empty batch when
   * the snapshot changed (a command such as set_title changes it silently).
   */
  #flush(always = false): void {
    this.#flushTiming.reset();
    const runtime = this.#runtime;
    const changed = runtime.revision !== this.#sentRevision;
    const count = runtime.events.length;
    const unsent = count !== this.#sentCount && this.#announced < count;
    if (this.#pending.length === 0 && !unsent && !(always && changed)) return;
    const events = this.#pending;
    this.#pending = [];
    this.#sentRevision = runtime.revision;
    this.#sentCount = count;
    const progress = !changed && unsent ? { progress: { eventCount: count, updatedAt: runtime.events[count - 1]!.timestamp } } : {};
    let snapshot: MirroredSnapshot | undefined;
    if (changed) {
      const current = runtime.snapshot();
      snapshot = mirroredChange(current, this.#sentAgent);
      this.#sentAgent = current.agent;
      this.#sentStatus = current.status;
    }
    postMail(this.#port, { v: MAILBOX_VERSION, type: 'events', events, ...(snapshot ? { snapshot } : {}), ...progress });
  }

  /** Forwards every event from now on, after those from `from` that the handle was not sent. */
  #subscribe(from: number | null): void {
    if (this.#forwardEvents) return;
    this.#forwardEvents = true;
    const events = this.#runtime.events;
    const missed: SequencedEvent[] = [];
    for (let seq = Math.max(from ?? 0, this.#announced); seq < events.length; seq++) missed.push({ seq, event: events[seq]! });
    this.#announced = events.length;
    this.#pending = [...missed, ...this.#pending];
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
      this.#flush(true);
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
        // Sub-agents running a delegated task pause too (the delegate call then ends at once).
        await this.#tools.delegate?.stopChildren('pause');
        return runtime.pause();
      case 'interrupt':
        return runtime.interrupt();
      case 'reject_pending_actions':
        return runtime.rejectPendingActions(command.reason);
      case 'set_confirmation_policy':
        return runtime.setConfirmationPolicy(command.policy);
      case 'update_secrets':
        this.#tools.secrets.update(command.secrets);
        this.#tools.session.updateSecrets(command.secrets);
        this.#tools.mcp.updateSecrets(command.secrets);
        return runtime.updateSecrets(command.secrets);
      case 'set_title':
        return runtime.setTitle(command.title);
      case 'condense':
        return runtime.condense();
      case 'set_stream_tokens':
        this.#streamTokens = command.enabled;
        return undefined;
      case 'subscribe_events':
        return this.#subscribe(command.from);
      case 'get_snapshot':
        return runtime.snapshot();
      case 'get_events':
        return runtime.events.slice(command.from, command.from + command.limit);
      case 'search_events':
        return searchEvents(runtime.events, command.query);
      case 'count_events':
        return countEvents(runtime.events, command.filter);
      case 'get_event':
        return runtime.events.find((event) => event.id === command.eventId) ?? null;
      case 'first_seq_at':
        return firstSeqAtOrAfter(runtime.events, command.timestamp);
      case 'fork_source': {
        const events = forkedEvents(runtime.events, runtime.id, command.upToEventId);
        const seed = { fromConversationId: runtime.id, events, ...(command.upToEventId === undefined ? {} : { fromEventId: command.upToEventId }) };
        return { agent: runtime.agent, seed: command.keepStats ? { ...seed, stats: runtime.stats } : seed } satisfies ForkSource;
      }
      case 'ask_agent':
        return runtime.askAgent(command.question);
      case 'generate_title':
        return runtime.generateTitle({ ...(command.llm ? { llm: new LLM(command.llm) } : {}), ...(command.maxLength === undefined ? {} : { maxLength: command.maxLength }) });
      case 'close':
        await runtime.close();
        this.#tools.session.close();
        await this.#tools.mcp.close();
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

/** The agent's delegate tool, with the conversation's agent definitions; definitions without the tool are refused (they would do nothing). */
function delegateToolFor(agent: AgentConfig, init: z.output<typeof ActorInitSchema>, port: MessagePort): DelegateTool | undefined {
  const listed = agent.tools.some((tool) => tool.name === DELEGATE_TOOL_NAME);
  if (!listed) {
    if (init.agentDefinitions?.length || init.maxSubAgents !== undefined) {
      throw new ConfigError(`agentDefinitions and maxSubAgents are for the delegate tool, which the agent does not have: add { name: '${DELEGATE_TOOL_NAME}' } to its tools, or drop them.`);
    }
    return undefined;
  }
  return new DelegateTool(init.agentDefinitions ?? [], new DelegationCaller(port), init.maxSubAgents);
}
