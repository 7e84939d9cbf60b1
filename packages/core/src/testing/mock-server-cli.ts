import { startMockServer, type MockServerOptions } from './mock-server.js';

/**
 * Child entry point of `startMockServerProcess`: `node mock-server-cli.js '<MockServerOptions as JSON>'`.
 * Prints `MOCK_SERVER_URL=<url>` once listening. A mock in its own process keeps its CPU out of
 * the measurements of the process under test (the bench).
 */

const ORPHAN_CHECK_INTERVAL_MS = 1_000;

try {
  const options = JSON.parse(process.argv[2] ?? '{}') as MockServerOptions;
  const server = await startMockServer(options);
  const shutdown = (): void => {
    void server.close().finally(() => process.exit(0));
  };
  // Listening before the URL is printed: the parent may signal as soon as it reads it.
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  process.stdout.write(`MOCK_SERVER_URL=${server.url}\n`);
  // Leave with the parent (even one killed by SIGKILL) instead of lingering on the port.
  const parentPid = process.ppid;
  setInterval(() => process.ppid !== parentPid && shutdown(), ORPHAN_CHECK_INTERVAL_MS).unref();
} catch (error) {
  process.stderr.write(`mock-server-cli: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
