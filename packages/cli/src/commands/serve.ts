import { resolve } from 'node:path';
import { sessionKeysFromEnv, startServer } from '@troupe/server';

export interface ServeCommandOptions {
  host: string;
  port: number;
  persistenceDir: string;
  sessionApiKey: string[];
  threads?: number;
  /** Milliseconds (parsed from a duration): close a conversation idle this long; it reopens on its next request. */
  idleRelease?: number;
}

/**
 * `troupe serve`: the HTTP + WebSocket agent server on a supervisor, until Ctrl-C or SIGTERM;
 * then running conversations are paused and saved. Keys come from the flags and the environment.
 */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  const sessionApiKeys = [...options.sessionApiKey, ...sessionKeysFromEnv(process.env)];
  const server = await startServer({
    host: options.host,
    port: options.port,
    persistenceDir: resolve(options.persistenceDir),
    sessionApiKeys,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.idleRelease === undefined ? {} : { idleReleaseMs: options.idleRelease }),
  });
  process.stderr.write(
    `Troupe agent server on ${server.url} (dashboard: ${server.url}/, API docs: ${server.url}/docs), conversations in ${resolve(options.persistenceDir)}, ${
      sessionApiKeys.length > 0 ? `${sessionApiKeys.length} session key(s)` : 'no session key (loopback only)'
    }\n`,
  );
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('Stopping: pausing running conversations and saving them…\n');
  await server.close();
  return 0;
}
