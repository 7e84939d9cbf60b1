import {
  type ConversationSnapshot,
  type ConversationStore,
  ConversationLeaseError,
  type Event,
  eventLogRecord,
  PersistenceError,
  toStateFile,
} from '@troupe/core';
import type { Redis } from 'ioredis';
import type { ConversationKeys } from './conversation-keys.js';
import type { ConversationLease } from './conversation-lease.js';

/**
 * One persist, atomic: refused unless the fence is still ours; the records are appended as stream
 * entries `<seq + 1>-0` after checking the stream holds exactly the events before them; the state
 * is written whole and the listing updated.
 * KEYS: events, state, fence, index. ARGV: fence, first seq, state JSON ('' = none), score, id, records….
 */
const PERSIST = `
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return redis.error_reply('TROUPE_FENCED') end
local first = tonumber(ARGV[2])
local count = #ARGV - 5
if count > 0 then
  local length = redis.call('XLEN', KEYS[1])
  if length ~= first then return redis.error_reply('TROUPE_SEQ ' .. length) end
  for i = 1, count do redis.call('XADD', KEYS[1], (first + i) .. '-0', 'r', ARGV[5 + i]) end
end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[2], ARGV[3])
  redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
end
return count`;

/**
 * A conversation's writer on Redis: events buffered, then appended to its stream with their
 * sequence numbers and the state written, in one atomic script per persist, fenced by the lease.
 * A write reaches Redis before `persist` resolves; whether it survives a crash of the Redis server
 * itself is Redis's persistence (AOF `appendfsync always` for the `step` guarantee of files).
 */
export class RedisConversationStore implements ConversationStore {
  readonly #redis: Redis;
  readonly #keys: ConversationKeys;
  readonly #lease: ConversationLease;
  #buffer: string[] = [];
  /** Sequence number of the first buffered record = events stored so far. */
  #stored: number;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(redis: Redis, keys: ConversationKeys, lease: ConversationLease, storedEvents: number) {
    this.#redis = redis;
    this.#keys = keys;
    this.#lease = lease;
    this.#stored = storedEvents;
  }

  append(seq: number, event: Event): void {
    const expected = this.#stored + this.#buffer.length;
    if (seq !== expected) throw new PersistenceError(`Event ${seq} appended out of order (expected ${expected}).`, this.#keys.events(this.#lease.conversationId));
    this.#buffer.push(JSON.stringify(eventLogRecord(seq, event)));
  }

  persist(snapshot: ConversationSnapshot | null, _sync: boolean): Promise<void> {
    const run = this.#chain.then(() => this.#write(snapshot));
    // A failed write fails its caller; later writes still run.
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #write(snapshot: ConversationSnapshot | null): Promise<void> {
    if (this.#closed) throw new PersistenceError(`The store of conversation ${this.#lease.conversationId} is closed.`, this.#keys.events(this.#lease.conversationId));
    const records = this.#buffer.slice();
    if (records.length === 0 && !snapshot) return;
    const id = this.#lease.conversationId;
    const state = snapshot ? JSON.stringify(toStateFile(snapshot)) : '';
    const score = snapshot ? Date.parse(snapshot.updatedAt) || Date.now() : 0;
    try {
      await this.#redis.eval(PERSIST, 4, this.#keys.events(id), this.#keys.state(id), this.#keys.fence(id), this.#keys.index(), this.#lease.fence, this.#stored, state, score, id, ...records);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes('TROUPE_FENCED')) {
        throw new ConversationLeaseError(
          `Conversation ${id} was opened by another process after this one lost its claim; this process writes nothing more to it (the other one continues it).`,
          id,
        );
      }
      if (message.includes('TROUPE_SEQ')) {
        throw new PersistenceError(`The event stream ${this.#keys.events(id)} does not end where this writer expected (event ${this.#stored}): ${message}.`, this.#keys.events(id));
      }
      throw error;
    }
    // Only what was written leaves the buffer (a failed write is tried again with the next persist).
    this.#buffer.splice(0, records.length);
    this.#stored += records.length;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#chain;
    this.#closed = true;
    await this.#lease.release().catch(() => undefined);
  }
}
