import {
  AttachmentNameSchema,
  type ConversationSnapshot,
  type ConversationStorage,
  type Event,
  type LoadedConversation,
  type OpenedConversation,
  parseEventLogRecord,
  parseStateFile,
  PersistenceError,
  type StorageSpec,
} from '@troupe/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ConversationKeys } from './conversation-keys.js';
import { ConversationLease } from './conversation-lease.js';
import { assertReachable, checkRedisUrl, createRedisConnection, displayUrl } from './redis-connection.js';
import { RedisConversationStore } from './redis-conversation-store.js';

/** How a Redis storage is made: the same in the main thread and, from its spec, in every worker thread. */
export const RedisStorageConfigSchema = z.object({
  /** `redis://host:port[/db]`. */
  url: z.string().min(1),
  /** Put before every key, so several Troupes can share one Redis. Default `troupe:`. */
  prefix: z.string().default('troupe:'),
  /** A claim's time to live: after a crash, the conversation can be opened elsewhere this long after. Default 10 s. */
  leaseTtlMs: z.number().int().min(100).default(10_000),
  /** How long opening waits for another process's claim to end. Default: the time to live and 5 s more. */
  leaseWaitMs: z.number().int().nonnegative().optional(),
});
export type RedisStorageOptions = z.input<typeof RedisStorageConfigSchema>;

/** Entries read per XRANGE call when loading a long log. */
const PAGE = 1_000;
/** States read per MGET when listing. */
const LIST_CHUNK = 500;

/**
 * Conversations in Redis, shared by processes on any number of machines: the events of each are a
 * stream (one entry per event, numbered by its sequence), its state one key written atomically
 * with the events it follows, the listing a sorted set. Records are the same versioned JSON as the
 * files (`{v, seq, event}`, `state.json`) and are read by the same functions. One process writes a
 * conversation at a time: opening claims it (`ConversationLease`), and every write is fenced.
 */
export class RedisConversationStorage implements ConversationStorage {
  readonly spec: StorageSpec;
  readonly keys: ConversationKeys;
  readonly #redis: Redis;
  readonly #url: string;
  readonly #lease: { ttlMs: number; waitMs: number };

  constructor(options: RedisStorageOptions, redis?: Redis) {
    const config = RedisStorageConfigSchema.parse(options);
    this.#url = checkRedisUrl(config.url);
    this.keys = new ConversationKeys(config.prefix);
    this.#lease = { ttlMs: config.leaseTtlMs, waitMs: config.leaseWaitMs ?? config.leaseTtlMs + 5_000 };
    this.#redis = redis ?? createRedisConnection(config.url);
    this.spec = { kind: 'module', module: new URL('./storage-module.js', import.meta.url).href, config };
  }

  /** A storage whose server answered (a `ConfigError` naming the URL otherwise). */
  static async connect(options: RedisStorageOptions): Promise<RedisConversationStorage> {
    const storage = new RedisConversationStorage(options);
    try {
      await assertReachable(storage.#redis, storage.#url);
    } catch (error) {
      await storage.close();
      throw error;
    }
    return storage;
  }

  location(conversationId: string): string {
    return `${displayUrl(this.#url)}/${this.keys.prefix}conv:${conversationId}`;
  }

  eventsLocation(conversationId: string): string {
    return `${displayUrl(this.#url)}/${this.keys.events(conversationId)}`;
  }

  localDir(): undefined {
    return undefined;
  }

  async readSnapshot(conversationId: string): Promise<ConversationSnapshot | null> {
    const key = this.keys.state(conversationId);
    const text = await this.#redis.get(key);
    return text === null ? null : parseStateFile(text, `Redis key ${key}`);
  }

  async #readEvents(conversationId: string): Promise<Event[]> {
    const key = this.keys.events(conversationId);
    const events: Event[] = [];
    for (let start = '-'; ; ) {
      const entries = await this.#redis.xrange(key, start, '+', 'COUNT', PAGE);
      for (const [entryId, fields] of entries) {
        const index = events.length + 1;
        const text = fields[fields.indexOf('r') + 1];
        let record: unknown;
        try {
          record = JSON.parse(text ?? '');
        } catch {
          throw new PersistenceError(`Redis key ${key} entry ${index} (${entryId}) is not valid JSON; the event log is corrupt.`, key, index);
        }
        events.push(parseEventLogRecord(record, events.length, { source: `Redis key ${key}`, position: 'entry', index }));
      }
      if (entries.length < PAGE) return events;
      start = `(${entries.at(-1)![0]}`;
    }
  }

  async #load(conversationId: string): Promise<LoadedConversation | null> {
    const snapshot = await this.readSnapshot(conversationId);
    if (!snapshot) return null;
    return { snapshot, events: await this.#readEvents(conversationId) };
  }

  async open(conversationId: string): Promise<OpenedConversation> {
    const lease = await ConversationLease.acquire(this.#redis, this.keys, conversationId, this.#lease);
    try {
      // Read under the claim: nobody else writes it from now on.
      const loaded = await this.#load(conversationId);
      // Events of a conversation that never saved its state belong to nothing: it starts afresh.
      if (!loaded) await this.#redis.del(this.keys.events(conversationId));
      const store = new RedisConversationStore(this.#redis, this.keys, lease, loaded?.events.length ?? 0);
      return { loaded, store };
    } catch (error) {
      await lease.release().catch(() => undefined);
      throw error;
    }
  }

  async list(options: { except?: ReadonlySet<string> } = {}): Promise<ConversationSnapshot[]> {
    const ids = (await this.#redis.zrevrange(this.keys.index(), 0, -1)).filter((id) => !options.except?.has(id));
    const snapshots: ConversationSnapshot[] = [];
    for (let i = 0; i < ids.length; i += LIST_CHUNK) {
      const chunk = ids.slice(i, i + LIST_CHUNK);
      const texts = await this.#redis.mget(chunk.map((id) => this.keys.state(id)));
      texts.forEach((text, index) => {
        if (text === null) return;
        try {
          snapshots.push(parseStateFile(text, `Redis key ${this.keys.state(chunk[index]!)}`));
        } catch {
          // An unreadable one is left out of the listing (opening it names the problem).
        }
      });
    }
    return snapshots.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async delete(conversationId: string): Promise<void> {
    const k = this.keys;
    await this.#redis
      .multi()
      // The fence stays: a writer that still holds an old number must never match a new claim's.
      .del(k.events(conversationId), k.state(conversationId), k.attachments(conversationId), k.lease(conversationId))
      .zrem(k.index(), conversationId)
      .exec();
  }

  async readAttachment(conversationId: string, name: string): Promise<string | null> {
    return this.#redis.hget(this.keys.attachments(conversationId), AttachmentNameSchema.parse(name));
  }

  async writeAttachment(conversationId: string, name: string, text: string): Promise<void> {
    await this.#redis.hset(this.keys.attachments(conversationId), AttachmentNameSchema.parse(name), text);
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
