import { ConfigError, errorMessage } from '@troupe/core';
import { Redis, type RedisOptions } from 'ioredis';

/** A `redis://` (or `rediss://`) URL as it may be shown: without its password. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString().replace(/\/$/, '');
}

/** Checks a URL names a Redis server; a bad one is a `ConfigError` that shows the expected form. */
export function checkRedisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`Invalid Redis URL ${JSON.stringify(url)}: use redis://host:port (or redis://user:password@host:port/db, rediss:// for TLS).`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError(`Invalid Redis URL ${JSON.stringify(displayUrl(url))}: it must start with redis:// or rediss://.`);
  }
  return url;
}

/**
 * A connection to the Redis server at `url`. `blocking` connections (BullMQ workers) never give up
 * on a command while reconnecting; the others fail a command after a few retries.
 */
export function createRedisConnection(url: string, options: { blocking?: boolean } = {}): Redis {
  const extra: RedisOptions = options.blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3 };
  return new Redis(checkRedisUrl(url), { ...extra, lazyConnect: false });
}

/** Resolves once the server answers; a server that does not within `timeoutMs` is a `ConfigError` naming it. */
export async function assertReachable(redis: Redis, url: string, timeoutMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ]);
  } catch (error) {
    throw new ConfigError(`Cannot reach Redis at ${displayUrl(url)}: ${errorMessage(error)}. Start redis-server there, or pass the right URL.`);
  } finally {
    clearTimeout(timer);
  }
}
