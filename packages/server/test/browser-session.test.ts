import { describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { startServer } from '@troupe/server';
import { openEventSocket, tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

const KEY = 'browser-key';
let llm: MockServer;
let supervisor: Supervisor;
let server: TestServer;
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY }, (context) => {
  ({ llm, supervisor, server } = context);
});

const form = (key: string, origin?: string) =>
  fetch(`${server.url}/api/troupe/session`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
    body: new URLSearchParams({ session_api_key: key }).toString(),
  });

async function logIn(): Promise<string> {
  const response = await form(KEY, server.url);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  const cookie = response.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^troupe_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
  return cookie.split(';')[0]!;
}

describe('the dashboard behind the session key', () => {
  it('sends a browser without a session to the login form; a wrong key goes back to it, the right one sets the cookie', async () => {
    const page = await fetch(`${server.url}/`, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('name="session_api_key"');
    const wrong = await form('not-the-key', server.url);
    expect(wrong.headers.get('location')).toBe('/login?failed=1');
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await (await fetch(`${server.url}/login?failed=1`)).text()).toContain('not accepted');

    const cookie = await logIn();
    const shell = await fetch(`${server.url}/`, { headers: { cookie } });
    expect(shell.status).toBe(200);
    const html = await shell.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    expect((await fetch(`${server.url}${asset}`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${server.url}${asset}`, { redirect: 'manual' })).status).toBe(401);
    expect(await (await fetch(`${server.url}/api/troupe/session`, { headers: { cookie } })).json()).toEqual({ key_required: true, authenticated: true });
    expect(await (await fetch(`${server.url}/api/troupe/session`)).json()).toEqual({ key_required: true, authenticated: false });
  });

  it('the cookie authenticates reads; a change also needs the server’s own Origin (CSRF)', async () => {
    const cookie = await logIn();
    expect((await fetch(`${server.url}/api/conversations/count`, { headers: { cookie } })).status).toBe(200);
    const create = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/conversations`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'from-cookie' }),
      });
    expect((await create({})).status).toBe(401);
    expect((await create({ origin: 'http://evil.example' })).status).toBe(401);
    expect((await create({ origin: server.url })).status).toBe(201);
    // A forged cookie and a login from another site get nothing.
    expect((await fetch(`${server.url}/api/conversations/count`, { headers: { cookie: 'troupe_session=forged' } })).status).toBe(401);
    expect((await form(KEY, 'http://evil.example')).status).toBe(403);
  });

  it('the event socket accepts the cookie from a page of this server only', async () => {
    const cookie = await logIn();
    const id = (await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, initial_message: userMessage('hi') })).body.id;
    const own = openEventSocket(server.url, id, 'resend_mode=all', { cookie, origin: server.url });
    await expect.poll(() => own.frames.some((frame) => frame.key === 'full_state')).toBe(true);
    own.socket.close();
    const foreign = openEventSocket(server.url, id, '', { cookie, origin: 'http://evil.example' });
    // Without the key it waits for an auth frame; a wrong one closes it.
    foreign.socket.on('open', () => foreign.socket.send(JSON.stringify({ type: 'auth', session_api_key: 'nope' })));
    expect((await foreign.closed).code).toBe(4001);
  });

  it('logging out ends the session', async () => {
    const cookie = await logIn();
    const out = await fetch(`${server.url}/api/troupe/session`, { method: 'DELETE', headers: { cookie, origin: server.url } });
    expect(out.status).toBe(200);
    expect((await fetch(`${server.url}/api/conversations/count`, { headers: { cookie } })).status).toBe(401);
  });

  it('a server without a key needs no login, and can run without the dashboard', async () => {
    const open = await startServer({ host: '127.0.0.1', port: 0, persistenceDir: tempDir(), supervisor });
    try {
      expect((await fetch(`${open.url}/`)).status).toBe(200);
      expect((await fetch(`${open.url}/login`, { redirect: 'manual' })).headers.get('location')).toBe('/');
    } finally {
      await open.close();
    }
    const bare = await startServer({ host: '127.0.0.1', port: 0, persistenceDir: tempDir(), supervisor, dashboard: false });
    try {
      expect((await fetch(`${bare.url}/`)).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
