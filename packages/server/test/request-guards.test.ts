import { describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import WebSocket from 'ws';
import { rawRequest, tempDir, type TestServer, UPGRADE_HEADERS, userMessage, useTestServer, wireAgent } from './helpers.js';

const KEY = 'guard-key';
let llm: MockServer;
let server: TestServer;
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY, socketLimits: { authTimeoutMs: 300 } }, (context) => {
  ({ llm, server } = context);
});

const host = () => new URL(server.url).host;
const send = (method: string, target: string, options: { key?: boolean; body?: string; headers?: string[] } = {}) =>
  rawRequest(
    server.url,
    [`${method} ${target} HTTP/1.1`, `host: ${host()}`, ...(options.body ? ['content-type: application/json'] : []), ...(options.key ? [`x-session-api-key: ${KEY}`] : []), ...(options.headers ?? [])],
    options.body,
  );
const createBody = () => JSON.stringify({ agent: wireAgent(llm, [{ name: 'terminal' }]), workspace: { working_dir: tempDir() }, initial_message: userMessage('run `id`', true) });
const count = async () => (await server.api('GET', '/api/conversations/count')).body as number;

describe('the session key is checked on the route the router matched', () => {
  it('an encoded spelling of /api is the same route: 401 without the key, 201 with it', async () => {
    const before = await count();
    for (const target of ['/%61pi/conversations', '/%61%70%69/conversations', '/api/%63onversations', '/api/conversation%73']) {
      const response = await send('POST', target, { body: createBody() });
      expect({ target, status: response.status }).toEqual({ target, status: 401 });
      expect(JSON.parse(response.body)).toEqual({ detail: 'Unauthorized' });
    }
    expect(await count()).toBe(before);
    expect((await send('POST', '/%61pi/conversations', { body: createBody(), key: true })).status).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('absolute-form, doubled slashes, dot segments and backslashes are refused with 400 before any route runs', async () => {
    const before = await count();
    const targets = [
      `http://${host()}/api/conversations`,
      `HTTP://${host()}/api/conversations`,
      `http://evil.example/api/conversations`,
      '//api/conversations',
      '/api//conversations',
      '/api/../api/conversations',
      '/api/./conversations',
      '/api/%2e%2e/api/conversations',
      '/x/%2E./api/conversations',
      '/api\\conversations',
      '*',
    ];
    for (const target of targets) {
      for (const key of [false, true]) {
        const response = await send('POST', target, { body: createBody(), key });
        expect({ target, key, status: response.status }).toEqual({ target, key, status: 400 });
        expect(typeof JSON.parse(response.body).detail).toBe('string');
      }
    }
    expect(await count()).toBe(before);
  });

  it('unmatched paths, other letter cases and trailing slashes need the key too: 401 without, 404 with', async () => {
    for (const target of ['/API/conversations/count', '/Api/conversations/search', '/api/conversations/count/', '/nothing-here', '/api']) {
      expect({ target, status: (await send('GET', target)).status }).toEqual({ target, status: 401 });
      expect({ target, status: (await send('GET', target, { key: true })).status }).toEqual({ target, status: 404 });
    }
  });

  it('a malformed percent-encoding is a 400 in the one error shape', async () => {
    const response = await send('GET', '/api/conversations/%zz');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).detail).toMatch(/Bad request target/);
  });

  it('only the health, server_info and API description routes are public', async () => {
    for (const target of ['/alive', '/health', '/ready', '/server_info', '/openapi.json', '/docs', '/docs/json']) {
      expect({ target, status: (await send('GET', target)).status }).toEqual({ target, status: 200 });
    }
    const asset = await send('GET', '/docs/static/swagger-ui.css');
    expect(asset.status).toBe(200);
  });
});

describe('WebSocket upgrades', () => {
  it('an upgrade to any route but the event socket needs the key', async () => {
    for (const target of ['/api/conversations/search', '/%61pi/conversations/search', '/nothing-here']) {
      const response = await rawRequest(server.url, [`GET ${target} HTTP/1.1`, `host: ${host()}`, ...UPGRADE_HEADERS], '', { headOnly: true });
      expect({ target, status: response.status }).toEqual({ target, status: 401 });
    }
    const absolute = await rawRequest(server.url, [`GET http://${host()}/sockets/events/x HTTP/1.1`, `host: ${host()}`, ...UPGRADE_HEADERS], '', { headOnly: true });
    expect(absolute.status).toBe(400);
  });

  it('the event socket, in any spelling, sends nothing before it is authenticated; a plain GET of it needs the key', async () => {
    const id = (await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() } })).body.id as string;
    for (const path of [`/sockets/events/${id}?resend_mode=all`, `/sockets/%65vents/${id}?resend_mode=all`]) {
      const unauthenticated = socketAt(path);
      expect({ path, code: (await unauthenticated.closed).code, frames: unauthenticated.frames }).toEqual({ path, code: 4001, frames: [] });
    }
    const withKey = socketAt(`/sockets/%65vents/${id}`, { 'x-session-api-key': KEY });
    await expect.poll(() => withKey.frames[0]?.key).toBe('full_state');
    withKey.socket.close();
    expect((await send('GET', `/sockets/events/${id}`)).status).toBe(401);
  });
});

/** A WebSocket on a path written as is (the helper's builds the canonical one). */
function socketAt(path: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers });
  const frames: any[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
  socket.on('error', () => undefined);
  const closed = new Promise<{ code: number }>((resolve) => socket.on('close', (code) => resolve({ code })));
  return { socket, frames, closed };
}
