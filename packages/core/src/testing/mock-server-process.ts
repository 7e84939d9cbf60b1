import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseMockScript, type MockScript } from './mock-script.js';
import type { MockServerOptions, MockServerStats, RecordedRequest } from './mock-server.js';
import type { MockUsageReport } from './mock-usage.js';

/**
 * A mock server in a child process, driven through its admin endpoints. The bench uses it so
 * that the mock's CPU and memory do not count against the runtime being measured.
 */

export interface MockServerProcessStats extends MockServerStats {
  cpuUsage: NodeJS.CpuUsage;
  memoryUsage: NodeJS.MemoryUsage;
}

export interface MockServerProcess {
  /** Base URL for the openai client, e.g. `http://127.0.0.1:43123/v1`. */
  readonly url: string;
  /** Base URL for @anthropic-ai/sdk, e.g. `http://127.0.0.1:43123`. */
  readonly anthropicUrl: string;
  readonly pid: number;
  requests(): Promise<RecordedRequest[]>;
  /** Usage summed per conversation and in total (kept without the request log too). */
  usage(): Promise<MockUsageReport>;
  setScript(conversationId: string, script: MockScript): Promise<void>;
  setDefaultScript(script: MockScript): Promise<void>;
  reset(): Promise<void>;
  stats(): Promise<MockServerProcessStats>;
  /** SIGTERM, then SIGKILL after 2 s; resolves once the child has exited. */
  close(): Promise<void>;
}

// Resolved next to this module, so it is the compiled CLI when this runs from dist.
const CLI_PATH = fileURLToPath(new URL('./mock-server-cli.js', import.meta.url));
const URL_LINE = /^MOCK_SERVER_URL=(\S+)$/m;
const STARTUP_TIMEOUT_MS = 10_000;
const KILL_GRACE_MS = 2_000;

export async function startMockServerProcess(options: MockServerOptions = {}): Promise<MockServerProcess> {
  if (!existsSync(CLI_PATH)) {
    throw new Error(
      `The mock server entry point ${CLI_PATH} does not exist. startMockServerProcess runs the compiled CLI: ` +
        'build @troupe/core (npx tsc -b packages/core) and import it from the built package, not from src.',
    );
  }
  const child = spawn(process.execPath, [CLI_PATH, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await waitForUrl(child);
  // Keep the child's crash reports visible once it is up.
  child.stderr.pipe(process.stderr, { end: false });
  const origin = new URL(url).origin;

  const admin = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${origin}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`Mock server process (pid ${child.pid}): ${method} ${path} failed with HTTP ${response.status}: ${await response.text()}`);
    }
    return response;
  };

  return {
    url,
    anthropicUrl: origin,
    pid: child.pid!,
    requests: async () => (await (await admin('GET', '/__mock/requests')).json()) as RecordedRequest[],
    usage: async () => (await (await admin('GET', '/__mock/usage')).json()) as MockUsageReport,
    setScript: async (conversationId, script) => {
      const valid = parseMockScript(script, `conversation "${conversationId}"`);
      await admin('PUT', `/__mock/scripts/${encodeURIComponent(conversationId)}`, valid);
    },
    setDefaultScript: async (script) => {
      await admin('PUT', '/__mock/default-script', parseMockScript(script, 'default script'));
    },
    reset: async () => {
      await admin('DELETE', '/__mock/requests');
    },
    stats: async () => (await (await admin('GET', '/__mock/stats')).json()) as MockServerProcessStats,
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

/** Resolves with the URL the child prints; rejects with its stderr if it exits (or stalls) first. */
function waitForUrl(child: ChildProcessByStdio<null, Readable, Readable>): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      const url = URL_LINE.exec(stdout)?.[1];
      if (url !== undefined) settle(() => resolve(url));
    };
    const onStderr = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      settle(() =>
        reject(new Error(`The mock server process exited (${signal ?? `code ${code}`}) before printing its URL. Its stderr:\n${stderr.trim() || '(empty)'}`)),
      );
    const onError = (error: Error): void =>
      settle(() => reject(new Error(`Could not start the mock server process (${process.execPath} ${CLI_PATH}): ${error.message}`)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(() =>
        reject(new Error(`The mock server process did not print its URL within ${STARTUP_TIMEOUT_MS} ms. Its stderr:\n${stderr.trim() || '(empty)'}`)),
      );
    }, STARTUP_TIMEOUT_MS);

    const settle = (outcome: () => void): void => {
      clearTimeout(timer);
      child.stdout.off('data', onStdout);
      child.stderr.off('data', onStderr);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep draining stdout so the child never blocks on a full pipe.
      child.stdout.resume();
      outcome();
    };
    child.stdout.on('data', onStdout);
    child.stderr.on('data', onStderr);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}
