import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type Agent,
  ConfigError,
  contentText,
  type ConversationState,
  type ConversationStatus,
  errorMessage,
  type Event,
  listStoredConversations,
  type Logger,
  type MessageAck,
  readStateFile,
  resolveWorkspacePath,
  WorkspacePathError,
} from '@troupe/core';
import type { Conversation, Supervisor } from '@troupe/workers';
import { EventEmitter } from 'eventemitter3';
import { agentFromWire } from './agent-wire.js';
import { conversationInfo, type ConversationSettings, liveFacts, liveSettings, storedFacts, storedSettings, storedStatus } from './conversation-info.js';
import { type ConversationMetadata, readConversationMetadata, writeConversationMetadata } from './conversation-metadata.js';
import { type ConversationSummary, searchConversations } from './conversation-search.js';
import { conversationNotFound, HttpError, RequestValidationError } from './http-error.js';
import { DEFAULT_IDLE_RELEASE_MS, IdleClock } from './idle-release.js';
import {
  type ConversationInfo,
  ConversationIdSchema,
  type ConversationPage,
  type ConversationSearchQuery,
  type SendMessageRequest,
  type StartConversationRequest,
} from './wire-schemas.js';

/** A conversation open in this server: its handle, what the server keeps beside it, and the run it started. */
export interface OpenConversation {
  readonly handle: Conversation;
  /** Tags and hook configuration: the server's own; every other setting is read from the handle's state. */
  readonly metadata: ConversationMetadata;
  /** What only memory holds (never stored), to reopen the conversation with after an idle release. */
  readonly retained: RetainedOptions;
  run: Promise<ConversationStatus> | null;
  /** A run was asked for while one was ending: start another once it has (the request may carry a new message). */
  rerun: boolean;
  /** Releases it once idle (no run, request or event socket using it). */
  readonly idle: IdleClock;
}

/** The agent as the client gave it (with its API key) and the secret values. */
interface RetainedOptions {
  agent?: Agent;
  secrets: Record<string, string>;
}

export interface ConversationServiceEvents {
  /** A run started by the server ended; every event it produced has reached the handle. */
  run_ended: (conversationId: string) => void;
  /** An idle conversation was closed (its actor ended); its next request reopens it. */
  released: (conversationId: string) => void;
}

export interface ConversationServiceOptions {
  supervisor: Supervisor;
  persistenceDir: string;
  logger: Logger;
  /** See `DEFAULT_IDLE_RELEASE_MS`; `Infinity` keeps conversations open until DELETE or close. */
  idleReleaseMs?: number;
}

const EVENT_PAGE = 10_000;

type SecretInput = StartConversationRequest['secrets'][string];
const secretValues = (secrets: Record<string, SecretInput>): Record<string, string> =>
  Object.fromEntries(Object.entries(secrets).map(([name, secret]) => [name, typeof secret === 'string' ? secret : secret.value]));

/** The workspace of a new conversation, checked before anything is made: a bad one is a 422 on `workspace.working_dir`. */
async function checkedWorkspace(workingDir: string): Promise<string> {
  try {
    return await resolveWorkspacePath(workingDir);
  } catch (error) {
    if (!(error instanceof WorkspacePathError)) throw error;
    throw new RequestValidationError([{ path: ['workspace', 'working_dir'], message: error.message, code: 'workspace_path' }]);
  }
}

/**
 * The conversations of one server, over a supervisor: creates them, opens stored ones on first use
 * (lazily, each at most once), lists open and stored ones, and starts at most one run each.
 */
export class ConversationService extends EventEmitter<ConversationServiceEvents> {
  readonly persistenceDir: string;
  readonly #supervisor: Supervisor;
  readonly #logger: Logger;
  /** Open and opening conversations: a second request for one waits for the same promise. */
  readonly #open = new Map<string, Promise<OpenConversation>>();
  readonly #idleReleaseMs: number;
  /** Released conversations: what reopens them as they were, and the close in progress to wait for. */
  readonly #released = new Map<string, RetainedOptions>();
  readonly #releasing = new Map<string, Promise<void>>();

  constructor(options: ConversationServiceOptions) {
    super();
    this.#supervisor = options.supervisor;
    this.persistenceDir = resolve(options.persistenceDir);
    this.#logger = options.logger;
    this.#idleReleaseMs = options.idleReleaseMs ?? DEFAULT_IDLE_RELEASE_MS;
    if (!(this.#idleReleaseMs > 0)) throw new ConfigError(`idleReleaseMs must be a positive number of milliseconds (or Infinity), not ${this.#idleReleaseMs}.`);
  }

  #dir(id: string): string {
    return join(this.persistenceDir, id);
  }

  /** The stored state of a conversation, or null; a malformed id names no conversation. */
  async #stored(id: string): Promise<ConversationState | null> {
    if (!ConversationIdSchema.safeParse(id).success) return null;
    return readStateFile(this.#dir(id)).catch((error: unknown) => {
      this.#logger.warn(`Conversation ${id} is stored but unreadable: ${errorMessage(error)}`);
      return null;
    });
  }

  /** Creates a conversation; with the id of an existing one it returns that one (`created: false`). */
  async create(request: StartConversationRequest): Promise<{ info: ConversationInfo; created: boolean }> {
    const id = request.conversation_id ?? randomUUID();
    const agent = agentFromWire(request.agent);
    if (this.#open.has(id) || (await this.#stored(id))) {
      // A client re-attaching after a restart brings the agent again, which restores its API key.
      await this.open(id, agent);
      return { info: await this.info(id), created: false };
    }
    const workspace = await checkedWorkspace(request.workspace.working_dir);
    // Checked again with nothing awaited until #start: a concurrent create of the same id starts it once.
    if (this.#open.has(id)) return { info: await this.info(id), created: false };
    const metadata: ConversationMetadata = { tags: request.tags, hookConfig: request.hook_config ?? undefined };
    const secrets = secretValues(request.secrets);
    const opening = this.#start(id, metadata, { agent, secrets: { ...secrets } }, () =>
      this.#supervisor.conversation({
        agent,
        conversationId: id,
        workspace,
        persistenceDir: this.persistenceDir,
        maxIterationsPerRun: request.max_iterations,
        stuckDetection: request.stuck_detection,
        confirmationPolicy: request.confirmation_policy,
        secrets,
        ...(request.title === undefined ? {} : { title: request.title }),
      }),
    );
    const conversation = await opening;
    return conversation.idle.hold(async () => {
      await writeConversationMetadata(this.#dir(id), metadata);
      const message = request.initial_message;
      if (message) {
        await conversation.handle.sendMessage({ role: 'user', content: message.content });
        if (message.run) this.#startRun(conversation);
      }
      return { info: this.infoOf(conversation), created: true };
    });
  }

  /** Registers a conversation as opening, and forgets it again if it fails to start. */
  #start(id: string, metadata: ConversationMetadata, retained: RetainedOptions, make: () => Conversation): Promise<OpenConversation> {
    const opening = (async () => {
      const handle = make();
      try {
        await handle.ready();
      } catch (error) {
        await handle.close();
        throw error;
      }
      const conversation: OpenConversation = {
        handle,
        metadata,
        retained,
        run: null,
        rerun: false,
        idle: new IdleClock(this.#idleReleaseMs, () => ({ runInProgress: conversation.run !== null, status: handle.status }), () => this.#release(conversation)),
      };
      return this.#used(conversation);
    })();
    this.#open.set(id, opening);
    opening.catch(() => this.#open.delete(id));
    return opening;
  }

  /** The open conversation, opening a stored one (with `agent` when given, else its stored agent); 404 when unknown. */
  async open(id: string, agent?: ReturnType<typeof agentFromWire>): Promise<OpenConversation> {
    const open = this.#open.get(id);
    if (open) return this.#used(await open);
    // A released conversation is reopened only once its actor has closed: never two on one directory.
    await this.#releasing.get(id);
    const state = await this.#stored(id);
    if (!state) throw conversationNotFound(id);
    const metadata = await readConversationMetadata(this.#dir(id));
    const again = this.#open.get(id);
    if (again) return this.#used(await again);
    const released = this.#released.get(id);
    const retainedAgent = agent ?? released?.agent;
    const retained: RetainedOptions = { ...(retainedAgent ? { agent: retainedAgent } : {}), secrets: { ...released?.secrets } };
    const opening = this.#start(id, metadata, retained, () =>
      this.#supervisor.resume(id, { persistenceDir: this.persistenceDir, ...(retained.agent ? { agent: retained.agent } : {}), secrets: retained.secrets }),
    );
    // Kept until it is open again: a failed reopen can be retried with the same key and secrets.
    opening.then(() => this.#released.delete(id), () => undefined);
    return opening;
  }

  /** Marks a conversation used now: its idle time starts again. */
  #used(conversation: OpenConversation): OpenConversation {
    conversation.idle.touch();
    return conversation;
  }

  /** Closes an idle conversation; what only memory holds is kept to reopen it with. */
  #release(conversation: OpenConversation): void {
    const id = conversation.handle.id;
    this.#open.delete(id);
    this.#released.set(id, conversation.retained);
    const closing = conversation.handle
      .close()
      .catch((error: unknown) => this.#logger.warn(`Releasing idle conversation ${id} failed: ${errorMessage(error)}`))
      .finally(() => {
        if (this.#releasing.get(id) === closing) this.#releasing.delete(id);
        this.emit('released', id);
      });
    this.#releasing.set(id, closing);
  }

  /** The info of an open conversation, without waiting (WebSocket snapshots use it too). */
  infoOf(conversation: OpenConversation): ConversationInfo {
    const { handle, metadata } = conversation;
    return conversationInfo(liveFacts(handle.state, this.#dir(handle.id)), liveSettings(handle.state, metadata));
  }

  async info(id: string): Promise<ConversationInfo> {
    const open = this.#open.get(id);
    if (open) return this.infoOf(await open);
    const state = await this.#stored(id);
    if (!state) throw conversationNotFound(id);
    return conversationInfo(storedFacts(state, this.#dir(id)), storedSettings(state, await readConversationMetadata(this.#dir(id))));
  }

  async #summaries(): Promise<ConversationSummary[]> {
    const open = (await Promise.allSettled(this.#open.values())).flatMap((result) => (result.status === 'fulfilled' ? [result.value.handle.state] : []));
    const openIds = new Set(open.map((state) => state.id));
    const stored = (await listStoredConversations(this.persistenceDir)).filter((info) => !openIds.has(info.id));
    return [
      ...open.map((state) => ({ id: state.id, status: state.status, createdAt: state.createdAt ?? '', updatedAt: state.updatedAt ?? '' })),
      ...stored.map((info) => ({ id: info.id, status: storedStatus(info.status), createdAt: info.createdAt, updatedAt: info.updatedAt })),
    ];
  }

  async search(query: ConversationSearchQuery): Promise<ConversationPage> {
    const page = searchConversations(await this.#summaries(), query);
    const items = await Promise.all(page.items.map((summary) => this.info(summary.id).catch(() => null)));
    return { items: items.filter((info): info is ConversationInfo => info !== null), next_page_id: page.next_page_id };
  }

  async count(status?: string): Promise<number> {
    return (await this.#summaries()).filter((summary) => status === undefined || summary.status === status).length;
  }

  /** Closes the conversation (interrupting a run) and removes its stored directory; the workspace stays. */
  async delete(id: string): Promise<void> {
    const open = this.#open.get(id);
    if (!open && !(await this.#stored(id))) throw conversationNotFound(id);
    if (open) {
      const conversation = await open.catch(() => null);
      conversation?.idle.stop();
      await conversation?.handle.close();
      this.#open.delete(id);
    }
    await this.#releasing.get(id);
    this.#released.delete(id);
    await rm(this.#dir(id), { recursive: true, force: true });
  }

  /** Starts a run; false when one is already going (one that is only ending does not count). */
  async run(id: string): Promise<boolean> {
    const conversation = await this.open(id);
    if (conversation.handle.status === 'running') return false;
    this.#startRun(conversation);
    return true;
  }

  #startRun(conversation: OpenConversation): void {
    if (conversation.run) {
      // The actor may already have ended that run (its reply is on the way): run again after it.
      conversation.rerun = true;
      return;
    }
    const { handle } = conversation;
    conversation.run = handle
      .run()
      .catch((error: unknown) => {
        this.#logger.warn(`Run of conversation ${handle.id} failed: ${errorMessage(error)}`);
        return handle.status;
      })
      .finally(() => {
        conversation.run = null;
        conversation.idle.recheck();
        this.emit('run_ended', handle.id);
        if (conversation.rerun) {
          conversation.rerun = false;
          this.#startRun(conversation);
        }
      });
  }

  /** Asks the run to stop at its next step boundary; resolves at once (the model call in flight finishes). */
  async pause(id: string): Promise<void> {
    const { handle } = await this.open(id);
    handle.pause().catch((error: unknown) => this.#logger.warn(`Pausing conversation ${id} failed: ${errorMessage(error)}`));
  }

  /** Aborts the model call and running tools; resolves once the conversation is paused. */
  async interrupt(id: string): Promise<void> {
    const { handle } = await this.open(id);
    await handle.interrupt();
  }

  async sendMessage(id: string, request: SendMessageRequest): Promise<MessageAck> {
    const conversation = await this.open(id);
    return conversation.idle.hold(async () => {
      const ack = await conversation.handle.sendMessage({ role: 'user', content: request.content });
      if (request.run) this.#startRun(conversation);
      return ack;
    });
  }

  async updateSecrets(id: string, secrets: StartConversationRequest['secrets']): Promise<void> {
    const conversation = await this.open(id);
    const values = secretValues(secrets);
    Object.assign(conversation.retained.secrets, values);
    await conversation.handle.updateSecrets(values);
  }

  async setConfirmationPolicy(id: string, policy: ConversationSettings['confirmationPolicy']): Promise<void> {
    const conversation = await this.open(id);
    await conversation.handle.setConfirmationPolicy(policy);
  }

  async setTitle(id: string, title: string): Promise<void> {
    const conversation = await this.open(id);
    await conversation.handle.setTitle(title);
  }

  /** Accept runs the waiting actions; reject records a rejection for each. Returns how many were rejected. */
  async respondToConfirmation(id: string, accept: boolean, reason: string): Promise<number> {
    const conversation = await this.open(id);
    if (accept) {
      this.#startRun(conversation);
      return 0;
    }
    return conversation.handle.rejectPendingActions(reason);
  }

  /** Every event of the conversation's log, by sequence number. */
  async events(id: string): Promise<Event[]> {
    const { handle, idle } = await this.open(id);
    return idle.hold(async () => {
      const events: Event[] = [];
      for (;;) {
        const page = await handle.getEvents(events.length, EVENT_PAGE);
        events.push(...page);
        if (page.length < EVENT_PAGE) return events;
      }
    });
  }

  async event(id: string, eventId: string): Promise<Event> {
    const event = (await this.events(id)).find((candidate) => candidate.id === eventId);
    if (!event) throw new HttpError(404, `Event ${JSON.stringify(eventId)} not found in conversation ${JSON.stringify(id)}`);
    return event;
  }

  /** The agent's last word: its last `finish` message, else its last message; "" when it has said nothing. */
  async agentFinalResponse(id: string): Promise<string> {
    const events = await this.events(id);
    for (let index = events.length - 1; index >= 0; index--) {
      const event = events[index]!;
      if (event.kind === 'ActionEvent' && event.tool_name === 'finish' && typeof event.action?.message === 'string') return event.action.message;
      if (event.kind === 'MessageEvent' && event.source === 'agent') return contentText(event.llm_message.content);
    }
    return '';
  }

  /** Closes every conversation this service opened; running ones are interrupted and stay paused. */
  async close(): Promise<void> {
    const open = await Promise.allSettled(this.#open.values());
    this.#open.clear();
    for (const result of open) if (result.status === 'fulfilled') result.value.idle.stop();
    await Promise.all([...open.map((result) => (result.status === 'fulfilled' ? result.value.handle.close() : undefined)), ...this.#releasing.values()]);
  }
}
