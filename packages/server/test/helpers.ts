import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockServer, type MockServerOptions, startMockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { afterAll, beforeAll } from 'vitest';
// Brings in the `app.websocketServer` type of the plugin.
import type {} from '@fastify/websocket';
import WebSocket from 'ws';
import { type StartedServer, type StartServerOptions, startServer } from '@troupe/server';

export function tempDir(prefix = 'troupe-server-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface ApiResponse {
  status: number;
  body: any;
}

export interface TestServer extends StartedServer {
  persistenceDir: string;
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

/** A real server on a random loopback port. */
export async function startTestServer(supervisor: Supervisor, options: Partial<StartServerOptions> & { apiKey?: string } = {}): Promise<TestServer> {
  const persistenceDir = options.persistenceDir ?? tempDir();
  const server = await startServer({ host: '127.0.0.1', port: 0, supervisor, ...options, persistenceDir });
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(options.apiKey ? { 'x-session-api-key': options.apiKey } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return { ...server, persistenceDir, api };
}

export interface RawResponse {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends a request exactly as written (request line and headers; `content-length` is added for a
 * body), for the targets and headers fetch would normalise. With `headOnly` it resolves once the
 * response head arrived (an upgrade answers 101 and keeps the socket).
 */
export function rawRequest(serverUrl: string, lines: string[], body = '', options: { headOnly?: boolean } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(serverUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const parse = (): RawResponse => {
      const end = received.indexOf('\r\n\r\n');
      const head = end < 0 ? received : received.slice(0, end);
      return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: end < 0 ? '' : received.slice(end + 4) };
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (options.headOnly && received.includes('\r\n\r\n')) {
        socket.destroy();
        resolve(parse());
      }
    });
    socket.on('end', () => resolve(parse()));
    socket.on('close', () => resolve(parse()));
    socket.on('error', reject);
    const headers = [...lines, ...(body ? [`content-length: ${Buffer.byteLength(body)}`] : []), ...(options.headOnly ? [] : ['connection: close'])];
    socket.write(`${headers.join('\r\n')}\r\n\r\n${body}`);
  });
}

/** The request headers of a WebSocket upgrade (without a key). */
export const UPGRADE_HEADERS = ['connection: Upgrade', 'upgrade: websocket', 'sec-websocket-version: 13', 'sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ=='];

/** An agent in the wire shape, talking to the mock model. */
export function wireAgent(mock: MockServer, tools: { name: string }[] = []) {
  return {
    kind: 'Agent',
    llm: { model: 'openai/mock-model', base_url: mock.url, api_key: 'test-key', retry_min_wait: 0.005, retry_max_wait: 0.02 },
    tools,
  };
}

export function userMessage(text: string, run?: boolean) {
  return { role: 'user', content: [{ type: 'text', text }], ...(run === undefined ? {} : { run }) };
}

export interface SocketRecorder {
  socket: WebSocket;
  frames: any[];
  /** Resolves with the close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the event socket of a conversation and records every frame. */
export function openEventSocket(serverUrl: string, conversationId: string, query = '', headers: Record<string, string> = {}): SocketRecorder {
  const socket = new WebSocket(`${serverUrl.replace('http', 'ws')}/sockets/events/${conversationId}${query ? `?${query}` : ''}`, { headers });
  const frames: any[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  socket.on('error', () => undefined);
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { socket, frames, closed };
}

export const persisted = (frames: any[]) => frames.filter((frame) => !(frame.kind === 'ConversationStateUpdateEvent' && frame.key === 'full_state') && frame.kind !== 'ServerErrorEvent' && frame.kind !== 'StreamingDeltaEvent');
export const snapshots = (frames: any[]) => frames.filter((frame) => frame.kind === 'ConversationStateUpdateEvent' && frame.key === 'full_state');

export interface TestContext {
  llm: MockServer;
  supervisor: Supervisor;
  server: TestServer;
}

/**
 * For the tests of a file: a mock model, a supervisor on two threads and a real server over it,
 * stopped after the tests. `use` receives them once started.
 */
export function useTestServer(
  options: Partial<StartServerOptions> & { apiKey?: string; mock?: MockServerOptions },
  use: (context: TestContext) => void,
): void {
  let context: TestContext;
  beforeAll(async () => {
    const { mock, ...serverOptions } = options;
    const llm = await startMockServer(mock);
    const supervisor = new Supervisor({ threads: 2 });
    context = { llm, supervisor, server: await startTestServer(supervisor, serverOptions) };
    use(context);
  });
  afterAll(async () => {
    await context.server.close();
    await context.supervisor.close();
    await context.llm.close();
  });
}

/** Resolves when the server's service next releases the conversation (listen before it can happen). */
export function nextRelease(server: TestServer, id: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const listener = (released: string) => {
      if (released !== id) return;
      server.service.off('released', listener);
      resolve();
    };
    server.service.on('released', listener);
  });
}
