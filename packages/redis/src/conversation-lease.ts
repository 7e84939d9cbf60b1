import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConversationLeaseError } from '@troupe/core';
import type { Redis } from 'ioredis';
import type { ConversationKeys } from './conversation-keys.js';

/** Claims a free lease and returns the next fencing number; nil when another owner holds it. KEYS: lease, fence. ARGV: owner, ttl. */
const ACQUIRE = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
return false`;

/**
 * Extends our lease; claims it again when it expired with nobody taking it in between (the fence
 * is still ours). 0 when another owner took over. KEYS: lease, fence. ARGV: owner, ttl, fence.
 */
const RENEW = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if holder == false and redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** Gives the lease up if it is still ours. KEYS: lease. ARGV: owner. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface LeaseTiming {
  /** How long a claim lives without renewal: after a crash, the conversation can be opened elsewhere this long after. */
  ttlMs: number;
  /** How long `acquire` waits for another owner's claim to end. */
  waitMs: number;
}

const POLL_MS = 100;

/**
 * The claim of one process on one conversation: at most one owner at a time (a key with a time to
 * live, renewed while open), and a fencing number that every write carries, so that a process
 * which lost its claim (it froze, the conversation was opened elsewhere) can write nothing more.
 */
export class ConversationLease {
  readonly #redis: Redis;
  readonly #keys: ConversationKeys;
  readonly #timing: LeaseTiming;
  readonly #timer: NodeJS.Timeout;
  #released = false;

  private constructor(
    redis: Redis,
    keys: ConversationKeys,
    readonly conversationId: string,
    readonly owner: string,
    readonly fence: string,
    timing: LeaseTiming,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#timing = timing;
    this.#timer = setInterval(() => void this.#renew(), Math.max(50, Math.floor(timing.ttlMs / 3)));
    this.#timer.unref();
  }

  /** Claims the conversation, waiting up to `waitMs` for another owner's claim to end or expire. */
  static async acquire(redis: Redis, keys: ConversationKeys, conversationId: string, timing: LeaseTiming): Promise<ConversationLease> {
    const owner = randomUUID();
    const deadline = Date.now() + timing.waitMs;
    for (;;) {
      const fence = (await redis.eval(ACQUIRE, 2, keys.lease(conversationId), keys.fence(conversationId), owner, timing.ttlMs)) as number | null;
      if (fence !== null) return new ConversationLease(redis, keys, conversationId, owner, String(fence), timing);
      if (Date.now() >= deadline) {
        const left = await redis.pttl(keys.lease(conversationId));
        throw new ConversationLeaseError(
          `Conversation ${conversationId} is open in another process (its claim ${keys.lease(conversationId)} lives ${Math.max(0, left)} ms more). ` +
            'It is never written by two at once: close it there, or wait for the claim of a crashed process to expire, then open it again.',
          conversationId,
        );
      }
      await sleep(POLL_MS);
    }
  }

  async #renew(): Promise<void> {
    if (this.#released) return;
    try {
      await this.#redis.eval(RENEW, 2, this.#keys.lease(this.conversationId), this.#keys.fence(this.conversationId), this.owner, this.#timing.ttlMs, this.fence);
    } catch {
      // Redis unreachable for now: the next renewal tries again; writes are fenced meanwhile.
    }
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    await this.#redis.eval(RELEASE, 1, this.#keys.lease(this.conversationId), this.owner);
  }
}
