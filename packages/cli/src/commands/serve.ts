import { delimiter, resolve } from 'node:path';
import type { ConversationStorage } from '@troupe/core';
import { sessionKeysFromEnv, startServer } from '@troupe/server';
import { loadRedisPackage } from '../queue/redis-package.js';
import { stopSignal } from '../shared/stop-signal.js';

export interface ServeCommandOptions {
  host: string;
  port: number;
  persistenceDir?: string;
  /** `redis://host:port[/db][?prefix=…]`: conversations in Redis. */
  store?: string;
  sessionApiKey: string[];
  threads?: number;
  /** Milliseconds (parsed from a duration): close a conversation idle this long; it reopens on its next request. */
  idleRelease?: number;
  /** Directories the file and git routes may reach besides the conversations' workspaces (with TROUPE_WORKSPACE_ROOTS, `:`-separated). */
  workspaceRoot?: string[];
}

const DEFAULT_PERSISTENCE_DIR = '.troupe/conversations';

/** The Redis storage of `--store`: its `prefix` query parameter names the keys' prefix. */
async function redisStorage(url: string): Promise<{ storage: ConversationStorage; where: string }> {
  const redis = await loadRedisPackage('--store');
  const parsed = new URL(redis.checkRedisUrl(url));
  const prefix = parsed.searchParams.get('prefix') ?? undefined;
  parsed.searchParams.delete('prefix');
  const storage = await redis.RedisConversationStorage.connect({ url: parsed.toString(), ...(prefix === undefined ? {} : { prefix }) });
  return { storage, where: `${redis.displayUrl(parsed.toString())} (keys ${storage.keys.prefix}…)` };
}

/**
 * `troupe serve`: the HTTP + WebSocket agent server on a supervisor, until Ctrl-C or SIGTERM;
 * then running conversations are paused and saved. Keys come from the flags and the environment.
 */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  if (options.store !== undefined && options.persistenceDir !== undefined) {
    process.stderr.write('Pass --persistence-dir or --store, not both.\n');
    return 2;
  }
  const sessionApiKeys = [...options.sessionApiKey, ...sessionKeysFromEnv(process.env)];
  const store = options.store === undefined ? null : await redisStorage(options.store);
  const persistenceDir = resolve(options.persistenceDir ?? DEFAULT_PERSISTENCE_DIR);
  const workspaceRoots = [...(options.workspaceRoot ?? []), ...(process.env.TROUPE_WORKSPACE_ROOTS ?? '').split(delimiter).filter(Boolean)].map((root) => resolve(root));
  const stopped = stopSignal();
  try {
    const server = await startServer({
      host: options.host,
      port: options.port,
      ...(store ? { storage: store.storage } : { persistenceDir }),
      sessionApiKeys,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.idleRelease === undefined ? {} : { idleReleaseMs: options.idleRelease }),
      workspaceRoots,
    });
    process.stderr.write(
      `Troupe agent server on ${server.url} (dashboard: ${server.url}/, API docs: ${server.url}/docs), conversations in ${store ? store.where : persistenceDir}, ${
        sessionApiKeys.length > 0 ? `${sessionApiKeys.length} session key(s)` : 'no session key (loopback only)'
      }\n`,
    );
    await stopped;
    process.stderr.write('Stopping: pausing running conversations and saving them…\n');
    await server.close();
    return 0;
  } finally {
    await store?.storage.close();
  }
}
