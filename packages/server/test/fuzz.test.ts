import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '@troupe/core';
import type { MockServer } from '@troupe/core/testing';
import { CONTENT_TYPES, HOSTILE_IDS, mutate, RAW_BODIES, randomQuery, randomValue, seededRandom } from './fuzz-inputs.js';
import { openEventSocket, rawRequest, tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

const KEY = 'fuzz-key';
// Fixed, so a failure repeats; FUZZ_SEED=<n> explores other inputs.
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const REQUESTS = 1_000;
const unhandled: string[] = [];
const logger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (message) => unhandled.push(message) };

let llm: MockServer;
let server: TestServer;
/** The workspace root of the file, git and bash routes. */
const fuzzRoot = tempDir('troupe-fuzz-root-');
// A short idle time, so conversations are also released and reopened under the fuzz.
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY, logger, idleReleaseMs: 200, workspaceRoots: [fuzzRoot] }, (context) => {
  ({ llm, server } = context);
});

// A relative working_dir is made below the working directory: keep the fuzz's out of the repository.
const cwd = process.cwd();
beforeAll(() => process.chdir(tempDir('troupe-fuzz-cwd-')));
afterAll(() => process.chdir(cwd));

interface Route {
  method: string;
  path: (id: string, eventId: string) => string;
  /** A valid body, which the fuzz mutates. */
  body?: () => unknown;
  /** Its fields where bad input reaches deepest. */
  focus?: string[];
  /** Bodies of another content type (multipart), sent instead of JSON half the time. */
  raw?: { contentType: string; bodies: string[] };
}

const BOUNDARY = 'fuzzboundary';
const part = (name: string, content: string, filename = 'f.bin') => `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n${content}\r\n`;
const MULTIPART_BODIES = [
  `${part('file', 'hello')}--${BOUNDARY}--\r\n`,
  `${part('other', 'x')}--${BOUNDARY}--\r\n`,
  `${part('file', 'a')}${part('file', 'b')}--${BOUNDARY}--\r\n`,
  `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"\r\n\r\nno filename\r\n--${BOUNDARY}--\r\n`,
  `--${BOUNDARY}\r\n\r\n`,
  `${part('file', 'unterminated')}`,
  '--wrong\r\n\r\n',
  '',
];

const ROUTES: Route[] = [
  {
    method: 'POST',
    path: () => '/api/conversations',
    focus: ['agent.tools', 'workspace', 'hook_config', 'secrets', 'tags', 'conversation_id', 'initial_message', 'confirmation_policy'],
    body: () => ({
      agent: wireAgent(llm, [{ name: 'terminal', params: { noChangeTimeoutSeconds: 5, env: { A: 'b' } } } as { name: string }, { name: 'file_editor' }]),
      workspace: { kind: 'LocalWorkspace', working_dir: tempDir('troupe-fuzz-ws-') },
      confirmation_policy: { kind: 'ConfirmRisky', threshold: 'HIGH' },
      initial_message: userMessage('hello', false),
      run_initial_message: false,
      max_iterations: 3,
      stuck_detection: true,
      secrets: { TOKEN: 'value', OTHER: { kind: 'StaticSecret', value: 'v' } },
      hook_config: { pre_tool_use: [{ matcher: 'terminal', hooks: [{ type: 'command', command: 'true' }] }] },
      tags: { team: 'fuzz' },
      title: 'fuzzed',
    }),
  },
  { method: 'GET', path: () => '/api/conversations/search' },
  { method: 'GET', path: () => '/api/conversations/count' },
  { method: 'GET', path: (id) => `/api/conversations/${id}` },
  { method: 'DELETE', path: (id) => `/api/conversations/${id}` },
  { method: 'PATCH', path: (id) => `/api/conversations/${id}`, body: () => ({ title: 'renamed' }) },
  { method: 'POST', path: (id) => `/api/conversations/${id}/run` },
  { method: 'POST', path: (id) => `/api/conversations/${id}/pause` },
  { method: 'POST', path: (id) => `/api/conversations/${id}/interrupt` },
  { method: 'POST', path: (id) => `/api/conversations/${id}/secrets`, body: () => ({ secrets: { TOKEN: 'new' } }) },
  { method: 'POST', path: (id) => `/api/conversations/${id}/confirmation_policy`, body: () => ({ policy: { kind: 'NeverConfirm' } }) },
  { method: 'GET', path: (id) => `/api/conversations/${id}/agent_final_response` },
  { method: 'POST', path: (id) => `/api/conversations/${id}/events`, body: () => userMessage('more', false) },
  { method: 'GET', path: (id) => `/api/conversations/${id}/events/search` },
  { method: 'GET', path: (id) => `/api/conversations/${id}/events/count` },
  { method: 'POST', path: (id) => `/api/conversations/${id}/events/respond_to_confirmation`, body: () => ({ accept: false, reason: 'no' }) },
  { method: 'GET', path: (id, eventId) => `/api/conversations/${id}/events/${eventId}` },
  { method: 'POST', path: (id) => `/api/conversations/${id}/security_analyzer`, body: () => ({ security_analyzer: { kind: 'LLMSecurityAnalyzer' } }) },
  { method: 'PATCH', path: (id) => `/api/conversations/${id}`, body: () => ({ tags: { team: 'fuzz' } }) },
  { method: 'GET', path: (id) => `/api/conversations?ids=${id}&ids=${id}` },
  { method: 'POST', path: () => '/api/bash/start_bash_command', body: () => ({ command: 'echo fuzz', cwd: fuzzRoot, timeout: 5 }), focus: ['command', 'cwd', 'timeout'] },
  { method: 'POST', path: () => '/api/bash/execute_bash_command', body: () => ({ command: 'true', cwd: fuzzRoot, timeout: 5 }), focus: ['command', 'cwd', 'timeout'] },
  { method: 'GET', path: (id) => `/api/bash/bash_events/search?command_id__eq=${id}` },
  { method: 'GET', path: (_id, eventId) => `/api/bash/bash_events/${eventId}` },
  { method: 'DELETE', path: () => '/api/bash/bash_events' },
  { method: 'POST', path: (id) => `/api/file/upload?path=${fuzzRoot}/${id}`, raw: { contentType: `multipart/form-data; boundary=${BOUNDARY}`, bodies: MULTIPART_BODIES } },
  { method: 'GET', path: (id) => `/api/file/download?path=${fuzzRoot}/${id}` },
  { method: 'GET', path: (id) => `/api/git/changes?path=${fuzzRoot}/${id}` },
  { method: 'GET', path: (id) => `/api/git/diff?path=${fuzzRoot}/${id}` },
  { method: 'GET', path: () => '/alive' },
  { method: 'GET', path: () => '/health' },
  { method: 'GET', path: () => '/ready' },
  { method: 'GET', path: () => '/server_info' },
  { method: 'GET', path: () => '/openapi.json' },
  { method: 'GET', path: (id) => `/sockets/events/${id}` },
];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const KEY_HEADERS = [...Array(12).fill(KEY), '', 'wrong', `${KEY} `, KEY.toUpperCase()];

describe('fuzz: malformed bodies, paths, queries and headers on every route', () => {
  it(`${REQUESTS} seeded requests get no 5xx, log no unhandled error, and the server still works`, async () => {
    const random = seededRandom(SEED);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, initial_message: userMessage(`fuzz ${index}`, true) })).body.id);
    }
    const eventId = (await server.api('GET', `/api/conversations/${ids[0]}/events/search`)).body.items[0]?.id ?? 'none';
    const failures: string[] = [];
    const host = new URL(server.url).host;

    const one = async (): Promise<void> => {
      // The start request has the richest body: about a quarter of the requests go to it.
      const route = random.chance(0.25) ? ROUTES[0]! : random.pick(ROUTES);
      const method = random.chance(0.9) ? route.method : random.pick(METHODS);
      // A real conversation is never deleted (later requests want it); a hostile id may be anything.
      const id = random.chance(0.6) && method !== 'DELETE' ? random.pick(ids) : random.pick(HOSTILE_IDS);
      const routePath = route.path(id, random.chance(0.7) ? eventId : random.pick(HOSTILE_IDS));
      const query = randomQuery(random);
      const path = `${routePath}${routePath.includes('?') ? query.replace('?', '&') : query}`;

      const rawBody = route.raw && random.chance(0.5) ? random.pick(route.raw.bodies) : undefined;
      const bodyText = (() => {
        if (rawBody !== undefined) return rawBody;
        if (random.chance(0.15)) return random.pick(RAW_BODIES);
        if (route.body && random.chance(0.8)) return JSON.stringify(mutate(random, route.body(), route.focus));
        return random.chance(0.5) ? JSON.stringify(randomValue(random)) : undefined;
      })();
      const headers: Record<string, string> = {
        'x-session-api-key': random.pick(KEY_HEADERS),
        ...(bodyText === undefined ? {} : { 'content-type': rawBody !== undefined && route.raw ? route.raw.contentType : random.chance(0.8) ? 'application/json' : random.pick(CONTENT_TYPES) }),
        ...(random.chance(0.1) ? { origin: random.pick(['http://evil.example', 'null', 'http://localhost:1']) } : {}),
        ...(random.chance(0.05) ? { 'content-encoding': random.pick(['gzip', 'br', 'nonsense']) } : {}),
      };
      let status: number;
      if (random.chance(0.15)) {
        // Raw: a target fetch would normalise, headers it would refuse.
        const target = random.pick([path, path.replace('/api/', '/%61pi/'), `//${path}`, `http://${host}${path}`, path.replace(/\//g, '//'), `${path}/../x`, `${path}%`, `${path}#frag`]);
        const lines = [`${method} ${target} HTTP/1.1`, `host: ${random.pick([host, 'evil.example', ''])}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
        if (random.chance(0.2)) lines.push(`x-session-api-key: ${KEY}`, 'transfer-encoding: identity');
        status = (await rawRequest(server.url, lines, bodyText ?? '')).status;
      } else {
        const response = await fetch(`${server.url}${path}`, { method, headers, ...(bodyText === undefined || method === 'GET' || method === 'HEAD' ? {} : { body: bodyText }) });
        status = response.status;
        await response.arrayBuffer();
      }
      if (!(status >= 100 && status < 500)) failures.push(`${status} ${method} ${path} ${bodyText?.slice(0, 200) ?? ''}`);
    };

    // A few at a time: concurrency is part of what a server meets.
    let sent = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (sent < REQUESTS) {
          sent++;
          await one();
        }
      }),
    );

    // Frames on an authenticated socket: garbage, deep, wide, wrong shapes.
    const ws = openEventSocket(server.url, ids[1]!, '', { 'x-session-api-key': KEY });
    await expect.poll(() => ws.frames.length).toBeGreaterThan(0);
    for (let index = 0; index < 60; index++) ws.socket.send(random.chance(0.3) ? random.pick(RAW_BODIES) : JSON.stringify(mutate(random, userMessage('frame'))));
    ws.socket.close();
    await ws.closed;

    expect(failures).toEqual([]);
    expect(unhandled).toEqual([]);
    // Still answering, and still running agents.
    expect((await server.api('GET', '/api/conversations/search')).status).toBe(200);
    const fresh = await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, initial_message: userMessage('after the fuzz', true) });
    expect(fresh.status).toBe(201);
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${fresh.body.id}`)).body.execution_status, { timeout: 10_000 }).toBe('finished');
    // The workspace routes still work too.
    expect((await server.api('POST', '/api/bash/execute_bash_command', { command: 'echo alive', cwd: fuzzRoot })).body.stdout).toBe('alive\n');
    // Workspace commands spawn processes: on a loaded 2-core machine the thousand requests take a while.
  }, 180_000);
});
