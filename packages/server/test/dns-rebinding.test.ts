import { describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { startServer } from '@troupe/server';
import { isLoopbackAddress, isLoopbackHost, isLoopbackHostHeader, isLoopbackOrigin } from '../src/loopback.js';
import { rawRequest, tempDir, type TestServer, UPGRADE_HEADERS, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let supervisor: Supervisor;
let server: TestServer;
// No session key: the server is open, so only loopback names and origins may reach it.
useTestServer({}, (context) => {
  ({ llm, supervisor, server } = context);
});

const port = () => new URL(server.url).port;
const get = (headers: string[], target = '/api/conversations/count', version = '1.1') => rawRequest(server.url, [`GET ${target} HTTP/${version}`, ...headers]);

describe('a server without a session key answers only loopback names (DNS rebinding)', () => {
  it('403 for a foreign or look-alike Host, on every route', async () => {
    const hosts = ['evil.example', `evil.example:${port()}`, '127.evil.example', `127.0.0.1.nip.io:${port()}`, 'localhost.evil.example', '0x7f.0.0.1', '127.1', '[::2]', `127.0.0.1:${port()}@evil.example`, ''];
    for (const host of hosts) {
      for (const target of ['/api/conversations/count', '/health', '/docs']) {
        const response = await get([`host: ${host}`], target);
        expect({ host, target, status: response.status }).toEqual({ host, target, status: 403 });
      }
    }
    expect((await get([], '/health', '1.0')).status).toBe(403);
  });

  it('loopback names and addresses pass, with or without a port', async () => {
    for (const host of [`127.0.0.1:${port()}`, '127.0.0.1', `localhost:${port()}`, 'LOCALHOST', '127.0.0.2', `[::1]:${port()}`, '[::ffff:127.0.0.1]']) {
      expect({ host, status: (await get([`host: ${host}`])).status }).toEqual({ host, status: 200 });
    }
  });

  it('an Origin, when sent, must be a loopback page', async () => {
    const host = `host: 127.0.0.1:${port()}`;
    for (const origin of ['http://evil.example', 'null', 'http://127.evil.example:8000', 'file://', 'http://localhost.evil.example']) {
      expect({ origin, status: (await get([host, `origin: ${origin}`])).status }).toEqual({ origin, status: 403 });
    }
    for (const origin of ['http://localhost:5173', `http://127.0.0.1:${port()}`, 'https://[::1]']) {
      expect({ origin, status: (await get([host, `origin: ${origin}`])).status }).toEqual({ origin, status: 200 });
    }
  });

  it('a create under a foreign Host or Origin makes nothing, and a WebSocket from a foreign page is refused', async () => {
    const before = (await server.api('GET', '/api/conversations/count')).body;
    const body = JSON.stringify({ agent: wireAgent(llm), workspace: { working_dir: tempDir() } });
    for (const headers of [['host: evil.example'], [`host: 127.0.0.1:${port()}`, 'origin: http://evil.example']]) {
      const response = await rawRequest(server.url, ['POST /api/conversations HTTP/1.1', ...headers, 'content-type: application/json'], body);
      expect(response.status).toBe(403);
    }
    expect((await server.api('GET', '/api/conversations/count')).body).toBe(before);
    const socket = await rawRequest(server.url, ['GET /sockets/events/any HTTP/1.1', `host: 127.0.0.1:${port()}`, 'origin: http://evil.example', ...UPGRADE_HEADERS], '', { headOnly: true });
    expect(socket.status).toBe(403);
  });

  it('refuses to listen without a key anywhere but on a loopback address or localhost', async () => {
    for (const host of ['127.evil.example', '0.0.0.0', '128.0.0.1', '::']) {
      await expect(startServer({ host, port: 0, persistenceDir: tempDir(), supervisor })).rejects.toThrow(/Refusing to listen/);
    }
  });
});

describe('loopback checks parse addresses', () => {
  it('addresses, hosts, Host headers and origins', () => {
    expect(['127.0.0.1', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'].map(isLoopbackAddress)).toEqual([true, true, true, true, true]);
    expect(['128.0.0.1', '127.evil.example', '127.1', '::2', '::ffff:8.8.8.8', 'localhost'].map(isLoopbackAddress)).toEqual([false, false, false, false, false, false]);
    expect(['localhost', '[::1]', '127.0.0.9'].map(isLoopbackHost)).toEqual([true, true, true]);
    expect(['[127.0.0.1]', 'localhost.', 'evil.localhost.example'].map(isLoopbackHost)).toEqual([false, false, false]);
    expect(['localhost:1', '127.0.0.1:65535', '[::1]:8000'].map(isLoopbackHostHeader)).toEqual([true, true, true]);
    expect(['127.0.0.1:65536', '127.0.0.1:', 'localhost:80:80', '::1', 'a@localhost'].map(isLoopbackHostHeader)).toEqual([false, false, false, false, false]);
    expect(['http://localhost', 'HTTPS://127.0.0.1:3000'].map(isLoopbackOrigin)).toEqual([true, true]);
    expect(['ws://localhost', 'http://localhost/', 'null', 'http://localhost:3000/path'].map(isLoopbackOrigin)).toEqual([false, false, false, false]);
  });
});
