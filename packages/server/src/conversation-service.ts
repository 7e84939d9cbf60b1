import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  camelCase,
  type ConfirmationPolicy,
  type ConversationSnapshot,
  type ConversationStatus,
  errorMessage,
  type Event,
  type EventFilter,
  type EventPage,
  type EventSearch,
  finalResponseOf,
  listStoredConversations,
  type Logger,
  type MessageAck,
  readStateFile,
  type StuckDetectionInput,
} from '@troupe/core';
import type { Conversation, Supervisor } from '@troupe/workers';
import { EventEmitter } from 'eventemitter3';
import { agentFromWire } from './agent-wire.js';
import { type ConversationMetadata, readConversationMetadata, writeConversationMetadata } from './conversation-metadata.js';
import { type ConversationSummary, searchConversations } from './conversation-search.js';
import { conversationNotFound, HttpError } from './http-error.js';
import { storedStatus, toWireInfo } from './wire-info.js';
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
  run: Promise<ConversationStatus> | null;
  /** A run was asked for while one was ending: start another once it has (the request may carry a new message). */
  rerun: boolean;
}

export interface ConversationServiceEvents {
  /** A run started by the server ended; every event it produced has reached the handle. */
  run_ended: (conversationId: string) => void;
}

type SecretInput = StartConversationRequest['secrets'][string];
const secretValues = (secrets: Record<string, SecretInput>): Record<string, string> =>
  Object.fromEntries(Object.entries(secrets).map(([name, secret]) => [name, typeof secret === 'string' ? secret : secret.value]));

/** Stuck detection as a start request asks for it: off, on with defaults, or on with OpenHands' thresholds. */
function stuckDetectionOf(request: StartConversationRequest): StuckDetectionInput {
  if (!request.stuck_detection) return false;
  const thresholds = request.stuck_detection_thresholds;
  if (!thresholds) return true;
  return Object.fromEntries(Object.entries(thresholds).flatMap(([key, value]) => (value === undefined ? [] : [[camelCase(key), value]])));
}

/** The snapshot of an open conversation (its handle reports once ready, which `open` waits for). */
function snapshotOf(handle: Conversation): ConversationSnapshot {
  const { agent, workspace } = handle.state;
  if (!agent || workspace === undefined) throw new Error(`Conversation ${handle.id} is not ready yet.`);
  return { ...handle.state, agent, workspace };
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

  constructor(options: { supervisor: Supervisor; persistenceDir: string; logger: Logger }) {
    super();
    this.#supervisor = options.supervisor;
    this.persistenceDir = resolve(options.persistenceDir);
    this.#logger = options.logger;
  }

  #dir(id: string): string {
    return join(this.persistenceDir, id);
  }

  /** The stored snapshot of a conversation, or null; a malformed id names no conversation. */
  async #stored(id: string): Promise<ConversationSnapshot | null> {
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
    if (this.#open.has(id)) return { info: await this.info(id), created: false };
    const metadata: ConversationMetadata = { tags: request.tags, hookConfig: request.hook_config ?? undefined };
    const opening = this.#start(id, metadata, () =>
      this.#supervisor.conversation({
        agent,
        conversationId: id,
        workspace: request.workspace.working_dir,
        persistenceDir: this.persistenceDir,
        maxIterationsPerRun: request.max_iterations,
        stuckDetection: stuckDetectionOf(request),
        ...(request.max_cost == null ? {} : { maxCost: request.max_cost }),
        confirmationPolicy: request.confirmation_policy,
        secrets: secretValues(request.secrets),
        ...(request.title === undefined ? {} : { title: request.title }),
      }),
    );
    const conversation = await opening;
    await writeConversationMetadata(this.#dir(id), metadata);
    const message = request.initial_message;
    if (message) {
      await conversation.handle.sendMessage({ role: 'user', content: message.content }, message.sender ? { sender: message.sender } : {});
      if (message.run) this.#startRun(conversation);
    }
    return { info: this.infoOf(conversation), created: true };
  }

  /** Registers a conversation as opening, and forgets it again if it fails to start. */
  #start(id: string, metadata: ConversationMetadata, make: () => Conversation): Promise<OpenConversation> {
    const opening = (async () => {
      const handle = make();
      try {
        await handle.ready();
      } catch (error) {
        await handle.close();
        throw error;
      }
      return { handle, metadata, run: null, rerun: false };
    })();
    this.#open.set(id, opening);
    opening.catch(() => this.#open.delete(id));
    return opening;
  }

  /** The open conversation, opening a stored one (with `agent` when given, else its stored agent); 404 when unknown. */
  async open(id: string, agent?: ReturnType<typeof agentFromWire>): Promise<OpenConversation> {
    const open = this.#open.get(id);
    if (open) return open;
    const stored = await this.#stored(id);
    if (!stored) throw conversationNotFound(id);
    const again = this.#open.get(id);
    if (again) return again;
    const metadata = await readConversationMetadata(this.#dir(id));
    return this.#start(id, metadata, () => this.#supervisor.resume(id, { persistenceDir: this.persistenceDir, ...(agent ? { agent } : {}) }));
  }

  /** The info of an open conversation, without waiting (WebSocket snapshots use it too). */
  infoOf(conversation: OpenConversation): ConversationInfo {
    return toWireInfo(snapshotOf(conversation.handle), { conversationDir: this.#dir(conversation.handle.id), ...conversation.metadata });
  }

  /** The info of a conversation with its whole stats (per-call lists included). */
  async info(id: string): Promise<ConversationInfo> {
    const open = this.#open.get(id);
    if (open) {
      const conversation = await open;
      return toWireInfo(await conversation.handle.snapshot(), { conversationDir: this.#dir(id), ...conversation.metadata });
    }
    const stored = await this.#stored(id);
    if (!stored) throw conversationNotFound(id);
    return toWireInfo({ ...stored, status: storedStatus(stored.status) }, { conversationDir: this.#dir(id), ...(await readConversationMetadata(this.#dir(id))) });
  }

  async #summaries(): Promise<ConversationSummary[]> {
    const open = (await Promise.allSettled(this.#open.values())).flatMap((result) => (result.status === 'fulfilled' ? [result.value.handle.state] : []));
    const openIds = new Set(open.map((state) => state.id));
    const stored = (await listStoredConversations(this.persistenceDir)).filter((snapshot) => !openIds.has(snapshot.id));
    return [...open, ...stored.map((snapshot) => ({ ...snapshot, status: storedStatus(snapshot.status) }))];
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
      await conversation?.handle.close();
      this.#open.delete(id);
    }
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
    const ack = await conversation.handle.sendMessage({ role: 'user', content: request.content }, request.sender ? { sender: request.sender } : {});
    if (request.run) this.#startRun(conversation);
    return ack;
  }

  async updateSecrets(id: string, secrets: StartConversationRequest['secrets']): Promise<void> {
    const conversation = await this.open(id);
    await conversation.handle.updateSecrets(secretValues(secrets));
  }

  async setConfirmationPolicy(id: string, policy: ConfirmationPolicy): Promise<void> {
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

  /** A page of the conversation's events, searched where the log lives. */
  async searchEvents(id: string, query: EventSearch): Promise<EventPage> {
    return (await this.open(id)).handle.searchEvents(query);
  }

  async countEvents(id: string, filter: EventFilter): Promise<number> {
    return (await this.open(id)).handle.countEvents(filter);
  }

  async event(id: string, eventId: string): Promise<Event> {
    const event = await (await this.open(id)).handle.getEvent(eventId);
    if (!event) throw new HttpError(404, `Event ${JSON.stringify(eventId)} not found in conversation ${JSON.stringify(id)}`);
    return event;
  }

  /** The agent's final response (core's `agentFinalResponse` rule), read from the newest events back, a page at a time. */
  async agentFinalResponse(id: string): Promise<string> {
    const { handle } = await this.open(id);
    let pageId: string | undefined;
    for (;;) {
      const page = await handle.searchEvents({ sort_order: 'TIMESTAMP_DESC', limit: 100, ...(pageId === undefined ? {} : { page_id: pageId }) });
      for (const event of page.items) {
        const response = finalResponseOf(event);
        if (response !== undefined) return response;
      }
      if (page.next_page_id === null) return '';
      pageId = page.next_page_id;
    }
  }

  /** Closes every conversation this service opened; running ones are interrupted and stay paused. */
  async close(): Promise<void> {
    const open = await Promise.allSettled(this.#open.values());
    this.#open.clear();
    await Promise.all(open.map((result) => (result.status === 'fulfilled' ? result.value.handle.close() : undefined)));
  }
}
