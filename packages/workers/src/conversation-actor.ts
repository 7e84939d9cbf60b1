import { join, resolve } from 'node:path';
import { type MessagePort, threadId } from 'node:worker_threads';
import { expose } from 'comlink';
import {
  type AgentConfig,
  ConfigError,
  type ConversationSnapshot,
  condenserLLMConfig,
  ConversationRuntime,
  type ConversationRuntimeOptions,
  countEvents,
  createConsoleLogger,
  credentialValues,
  type Event,
  firstSeqAtOrAfter,
  LLM,
  loadWorkspaceContext,
  type Logger,
  openPersistedRuntime,
  prepareWorkspace,
  readStateFile,
  searchEvents,
  SecretRegistry,
  serializeError,
  statsSnapshot,
} from '@troupe/core';
import type { z } from 'zod';
import { ClientToolCaller } from './client-tool-caller.js';
import {
  type ActorCommand,
  ActorCommandSchema,
  ActorInitSchema,
  MAILBOX_VERSION,
  parseMailboxMessage,
  type SequencedEvent,
} from './mailbox.js';
import { onMail, postMail, rpcEndpoint } from './port-endpoint.js';
import { resolveTools } from './tool-resolution.js';

/** The RPC surface an actor exposes over comlink: one validated entry point. */
export interface ActorRemote {
  dispatch(command: unknown): Promise<unknown>;
}

/** The snapshot as mirrored by the handle: per-call stats lists stay in the actor (`get_snapshot` has them). */
function mirrored(snapshot: ConversationSnapshot): ConversationSnapshot {
  return { ...snapshot, stats: statsSnapshot(snapshot.stats) };
}

/**
 * A conversation actor: hosts a `ConversationRuntime` in a worker thread, takes control calls and
 * queries over comlink, and sends its events back as batched mailbox messages (one per turn of the
 * event loop, never one message per event), with the snapshot when it changed.
 */
export class ConversationActor implements ActorRemote {
  readonly #port: MessagePort;
  readonly #runtime: ConversationRuntime;
  #streamTokens: boolean;
  #pending: SequencedEvent[] = [];
  #flushScheduled = false;
  /** The runtime's revision when the handle was last sent the snapshot. */
  #sentRevision = -1;
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
    const conversationDir = init.persistenceDir ? join(resolve(init.persistenceDir), init.conversationId) : undefined;
    const stored = conversationDir ? await readStateFile(conversationDir) : null;
    const agent: AgentConfig | undefined = init.agent ?? stored?.agent;
    if (!agent) {
      throw new ConfigError(
        init.persistenceDir
          ? `No stored conversation ${init.conversationId} in ${init.persistenceDir}, and no agent was given; pass agent to start a new one.`
          : 'An agent is required to start a conversation; pass agent.',
      );
    }
    const workspace = await prepareWorkspace(init.workspace ?? stored?.workspace ?? process.cwd());
    const workspaceContext = await loadWorkspaceContext(workspace, agent.agentContext);
    const condenserLLM = condenserLLMConfig(agent);
    const maskedValues = [...[agent.llm.apiKey, condenserLLM?.apiKey].filter((key): key is string => key !== undefined), ...credentialValues()];
    const secrets = new SecretRegistry(init.secrets, maskedValues);
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
    const clientTools = new ClientToolCaller(port, init.clientTools);
    const options: ConversationRuntimeOptions = {
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
      ...(init.durability === undefined ? {} : { durability: init.durability }),
    };
    const { runtime, resumed } = conversationDir
      ? await openPersistedRuntime({ ...options, id: init.conversationId, conversationDir })
      : { runtime: new ConversationRuntime(options), resumed: false };
    actor = new ConversationActor(port, runtime, init.streamTokens);
    actor.#pending = early;

    onMail(port, (message) => clientTools.onMail(message, logger));
    expose(actor, rpcEndpoint(port));
    actor.#sentRevision = runtime.revision;
    postMail(port, { v: MAILBOX_VERSION, type: 'ready', threadId, resumed, snapshot: mirrored(runtime.snapshot()) });
    actor.#flush();
    return actor;
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
   * Sends the events gathered so far in one message, with the snapshot when it changed otherwise
   * than by the events (the handle advances the event count and update time from the events
   * themselves, so most batches are just their events). `always` sends even an empty batch when
   * the snapshot changed (a command such as set_title changes it silently).
   */
  #flush(always = false): void {
    this.#flushScheduled = false;
    const changed = this.#runtime.revision !== this.#sentRevision;
    if (this.#pending.length === 0 && !(always && changed)) return;
    const events = this.#pending;
    this.#pending = [];
    this.#sentRevision = this.#runtime.revision;
    postMail(this.#port, { v: MAILBOX_VERSION, type: 'events', events, ...(changed ? { snapshot: mirrored(this.#runtime.snapshot()) } : {}) });
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
      case 'condense':
        return runtime.condense();
      case 'set_stream_tokens':
        this.#streamTokens = command.enabled;
        return undefined;
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
