import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import type { ResourceLimits } from 'node:worker_threads';
import { ConfigError, ConversationExistsError, type ConversationStorage, createConsoleLogger, errorMessage, listStoredConversations, type Logger } from '@troupe/core';
import { Piscina } from 'piscina';
import { ActorConnection, type ActorStarted } from './actor-connection.js';
import { actorThreadLimits } from './actor-thread-limits.js';
import { type ActorHost, setDefaultHostFactory } from './actor-host.js';
import { Conversation, type ConversationOptions } from './conversation.js';
import type { ConversationState } from './conversation-handle.js';
import type { ActorInit, ActorOutbound } from './mailbox.js';
import { RecoveryDirs } from './recovery-dirs.js';

export interface SupervisorOptions {
  /** Worker threads in the shared pool. Default: one per core. */
  threads?: number;
  /** Default placement of new conversations: `shared` (the pool) or `dedicated` (a thread each). */
  isolation?: 'shared' | 'dedicated';
  /**
   * Limits of each worker thread (e.g. heap size); a thread that exceeds them dies alone, and its
   * conversations come back from their storage. Default: a 24 MB young generation and, where the
   * machine's default is larger, a 2,047 MB old generation, below which V8 collects at about twice
   * the live heap instead of four times (`actor-thread-limits.ts`); each limit given replaces its default.
   */
  resourceLimits?: ResourceLimits;
  /**
   * Default `persistenceDir` of conversations made here. Unset (and no `storage`): each is kept in
   * a directory of the supervisor's own, so that it survives the death of its thread; `false`: in
   * memory only.
   */
  persistenceDir?: string | false;
  /** Default storage of conversations made here, instead of `persistenceDir` (e.g. a `RedisConversationStorage`; the caller closes it). */
  storage?: ConversationStorage;
  /** How conversations come back after their thread died (all but memory-only ones do). Default `paused`. */
  restoreAs?: 'paused' | 'running';
  /** Time `close()` lets a running conversation reach its next step boundary before interrupting it. Default 10 s. */
  closeGraceMs?: number;
  /**
   * Modules (paths or `file:` URLs) each worker thread imports before it hosts a conversation, e.g.
   * one that registers an OpenTelemetry tracer provider: the loop's spans go to the provider of the
   * thread it runs on. A module that fails to import fails the conversations of that thread.
   */
  workerImports?: readonly string[];
  logger?: Logger;
}

/** A conversation as `list()` reports it: its state, and whether it is open here. */
export type ConversationListing = ConversationState & { live: boolean };

/** Many I/O-bound actors share a thread; this bounds how many one thread may host. */
const ACTORS_PER_THREAD = 1_000_000;

/**
 * Owns the worker threads and the conversations on them. Each conversation is an actor: a
 * long-running piscina task holding a MessagePort, placed on the least-loaded thread.
 */
export class Supervisor implements ActorHost {
  readonly threads: number;
  readonly persistenceDir: string | false | undefined;
  readonly storage: ConversationStorage | undefined;
  readonly restoreAs: 'paused' | 'running';
  readonly #options: SupervisorOptions;
  readonly #pool: Piscina;
  readonly #dedicated = new Map<object, Piscina>();
  readonly #live = new Set<Conversation>();
  readonly #recovery: RecoveryDirs;
  readonly #logger: Logger;
  #closing = false;

  constructor(options: SupervisorOptions = {}) {
    this.#options = options;
    this.threads = options.threads ?? availableParallelism();
    if (options.storage && options.persistenceDir !== undefined) throw new ConfigError('Pass the supervisor persistenceDir or storage, not both (persistenceDir is the file storage\'s shorthand).');
    this.persistenceDir = options.persistenceDir;
    this.storage = options.storage;
    this.restoreAs = options.restoreAs ?? 'paused';
    this.#logger = options.logger ?? createConsoleLogger({ prefix: 'supervisor' });
    this.#recovery = new RecoveryDirs((dir, error) => this.#logger.warn(`Removing ${dir} failed: ${errorMessage(error)}`));
    this.#pool = this.#createPool(this.threads);
  }

  #createPool(threads: number): Piscina {
    const pool = new Piscina({
      filename: new URL('./actor-worker.js', import.meta.url).href,
      minThreads: threads,
      maxThreads: threads,
      concurrentTasksPerWorker: ACTORS_PER_THREAD,
      // Actors are async and long-lived: a thread must keep its event loop, never block in Atomics.wait.
      atomics: 'disabled',
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { imports: (this.#options.workerImports ?? []).map(moduleUrl) },
      resourceLimits: actorThreadLimits(this.#options.resourceLimits, getHeapStatistics().heap_size_limit / 2 ** 20),
    });
    // Errors of tasks are handled per actor; a pool-level error is only logged.
    pool.on('error', (error: unknown) => this.#logger.error(`Worker pool error: ${errorMessage(error)}`));
    return pool;
  }

  /** A new (or, with a stored id, resumed) conversation on this supervisor's threads. */
  conversation(options: Omit<ConversationOptions, 'supervisor'>): Conversation {
    const conversation = new Conversation({
      ...options,
      ...(options.persistenceDir === undefined && options.storage === undefined && this.persistenceDir !== undefined ? { persistenceDir: this.persistenceDir } : {}),
      ...(options.persistenceDir === undefined && options.storage === undefined && this.storage !== undefined ? { storage: this.storage } : {}),
      supervisor: this,
    });
    return conversation;
  }

  /** Resumes a stored conversation (its stored agent unless one is given). */
  resume(conversationId: string, options: Omit<ConversationOptions, 'supervisor' | 'conversationId'> = {}): Conversation {
    return this.conversation({ ...options, conversationId });
  }

  /** The open conversation with this id, if any. */
  get(conversationId: string): Conversation | undefined {
    for (const conversation of this.#live) if (conversation.id === conversationId) return conversation;
    return undefined;
  }

  /** Open conversations, plus those stored under `persistenceDir` (default: the supervisor's, or its storage). */
  async list(persistenceDir = this.persistenceDir || undefined): Promise<ConversationListing[]> {
    const live = [...this.#live].map((conversation): ConversationListing => ({ ...conversation.state, live: true }));
    const storage = persistenceDir === undefined ? this.storage : undefined;
    if (!persistenceDir && !storage) return live;
    const liveIds = new Set(live.map((listing) => listing.id));
    const stored = (await (storage ? storage.list() : listStoredConversations(persistenceDir!)))
      .filter((snapshot) => !liveIds.has(snapshot.id))
      .map((snapshot): ConversationListing => ({ ...snapshot, ...(storage ? {} : { persistenceDir }), live: false }));
    return [...live, ...stored];
  }

  /** Starts (or, after its thread died, restarts) the actor of a conversation. */
  async startActor(
    conversation: object,
    init: ActorInit,
    isolation: 'shared' | 'dedicated' | undefined,
    onMail: (message: ActorOutbound) => void,
  ): Promise<ActorStarted> {
    if (this.#closing) throw new Error('The supervisor is closing; create conversations on a new one.');
    // Never two actors writing one conversation (e.g. a sub-conversation its parent's delegation holds open).
    const open = this.get(init.conversationId);
    if (open && open !== conversation) throw new ConversationExistsError(`Conversation ${init.conversationId} is open already on this supervisor${open.state.parentConversationId ? ` (a sub-conversation of ${open.state.parentConversationId}, open while its parent is)` : ''}; use that handle, or open it once it is closed.`);
    let pool = this.#pool;
    if ((isolation ?? this.#options.isolation) === 'dedicated') {
      pool = this.#dedicated.get(conversation) ?? this.#createPool(1);
      this.#dedicated.set(conversation, pool);
    }
    this.#live.add(conversation as Conversation);
    const started = await ActorConnection.start(pool, init, onMail);
    started.connection.task.catch((error: unknown) => {
      const fate = init.persistenceDir || init.storage ? `it comes back ${this.restoreAs} on a fresh thread` : 'it was kept in memory only and is lost';
      this.#logger.warn(`The thread of conversation ${init.conversationId} died (${errorMessage(error)}); ${fate}.`);
    });
    return started;
  }

  recoveryDir(conversation: object): string {
    return this.#recovery.allocate(conversation);
  }

  /** A conversation closed: forget it, remove its recovery directory, and stop its dedicated thread. */
  release(conversation: object): void {
    this.#live.delete(conversation as Conversation);
    this.#recovery.remove(conversation);
    const pool = this.#dedicated.get(conversation);
    if (pool) {
      this.#dedicated.delete(conversation);
      void pool.destroy();
    }
  }

  /**
   * Graceful shutdown: running conversations are paused at their next step boundary (interrupted
   * after `closeGraceMs`), every conversation is closed with its state flushed, then threads stop.
   */
  async close(): Promise<void> {
    this.#closing = true;
    const grace = this.#options.closeGraceMs ?? 10_000;
    await Promise.all(
      [...this.#live].map(async (conversation) => {
        try {
          if (conversation.status === 'running') {
            const paused = conversation.pause().then(() => true);
            const timedOut = new Promise<boolean>((resolve) => setTimeout(resolve, grace, false).unref());
            if (!(await Promise.race([paused, timedOut]))) await conversation.interrupt();
          }
        } catch (error) {
          this.#logger.warn(`Pausing conversation ${conversation.id} on close failed: ${errorMessage(error)}`);
        }
        await conversation.close();
      }),
    );
    await Promise.all([this.#pool.destroy(), ...[...this.#dedicated.values()].map((pool) => pool.destroy())]);
    this.#dedicated.clear();
    await this.#recovery.removeAll();
  }
}

setDefaultHostFactory(() => new Supervisor());

/** A module named by path (relative to the working directory) or `file:` URL, as the URL a worker imports. */
function moduleUrl(specifier: string): string {
  return specifier.startsWith('file:') ? specifier : pathToFileURL(resolve(specifier)).href;
}
