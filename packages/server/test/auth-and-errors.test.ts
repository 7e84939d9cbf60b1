import { beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { sessionKeysFromEnv, startServer } from '@troupe/server';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let supervisor: Supervisor;
let server: TestServer;
let conversationId: string;
useTestServer({ sessionApiKeys: ['old-key', 'new-key'], apiKey: 'new-key', bodyLimit: 256 * 1024 }, (context) => {
  ({ llm, supervisor, server } = context);
});
beforeAll(async () => {
  conversationId = (await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, initial_message: userMessage('hi'), run_initial_message: false })).body.id;
});

describe('session API keys', () => {
  it('401 for a missing or wrong key on /api, any configured key works, health routes stay open', async () => {
    expect((await server.api('GET', '/api/conversations/count', undefined, { 'x-session-api-key': '' })).status).toBe(401);
    const missing = await fetch(`${server.url}/api/conversations/count`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ detail: 'Unauthorized' });
    expect((await server.api('GET', '/api/conversations/count', undefined, { 'x-session-api-key': 'wrong' })).status).toBe(401);
    expect((await fetch(`${server.url}/api/conversations/count`, { headers: { 'X-Session-API-Key': 'old-key' } })).status).toBe(200);
    for (const path of ['/alive', '/health', '/ready', '/server_info', '/openapi.json']) expect((await fetch(`${server.url}${path}`)).status).toBe(200);
  });

  it('reads keys from the environment like OpenHands', () => {
    expect(sessionKeysFromEnv({ SESSION_API_KEY: 'a', OH_SESSION_API_KEYS_0: 'b', OH_SESSION_API_KEYS_1: 'c', OH_SESSION_API_KEYS_3: 'skipped' })).toEqual(['a', 'b', 'c']);
    expect(sessionKeysFromEnv({})).toEqual([]);
  });

  it('without a key the server refuses to bind anything but loopback', async () => {
    await expect(startServer({ host: '0.0.0.0', port: 0, persistenceDir: tempDir(), supervisor })).rejects.toThrow(/Refusing to listen on 0.0.0.0/);
  });
});

describe('errors: one shape, exact codes, never a 500 for bad input', () => {
  it('404 for every unknown conversation, event and route', async () => {
    const unknown = 'no-such-conversation';
    const routes: [string, string, unknown?][] = [
      ['GET', `/api/conversations/${unknown}`],
      ['DELETE', `/api/conversations/${unknown}`],
      ['PATCH', `/api/conversations/${unknown}`, { title: 't' }],
      ['POST', `/api/conversations/${unknown}/run`],
      ['POST', `/api/conversations/${unknown}/pause`],
      ['POST', `/api/conversations/${unknown}/interrupt`],
      ['POST', `/api/conversations/${unknown}/secrets`, { secrets: { A: 'b' } }],
      ['POST', `/api/conversations/${unknown}/confirmation_policy`, { policy: { kind: 'AlwaysConfirm' } }],
      ['GET', `/api/conversations/${unknown}/agent_final_response`],
      ['POST', `/api/conversations/${unknown}/events`, userMessage('x')],
      ['GET', `/api/conversations/${unknown}/events/search`],
      ['GET', `/api/conversations/${unknown}/events/count`],
      ['POST', `/api/conversations/${unknown}/events/respond_to_confirmation`, { accept: true }],
      ['GET', `/api/conversations/..%2F..%2Fetc`],
      ['GET', `/api/conversations/${conversationId}/events/no-such-event`],
      ['GET', '/api/nothing-here'],
    ];
    for (const [method, path, body] of routes) {
      const response = await server.api(method, path, body);
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 });
      expect(typeof response.body.detail).toBe('string');
    }
  });

  it('422 with field paths for each malformed body', async () => {
    const valid = { agent: wireAgent(llm), workspace: { working_dir: tempDir() } };
    const cases: [unknown, (string | number)[]][] = [
      [{ ...valid, agent: { ...valid.agent, llm: { ...valid.agent.llm, model: 42 } } }, ['body', 'agent', 'llm', 'model']],
      [{ workspace: valid.workspace }, ['body', 'agent']],
      [{ ...valid, workspace: {} }, ['body', 'workspace', 'working_dir']],
      [{ ...valid, confirmation_policy: { kind: 'SometimesConfirm' } }, ['body', 'confirmation_policy', 'kind']],
      [{ ...valid, agent: { ...valid.agent, kind: 'ACPAgent' } }, ['body', 'agent', 'kind']],
      [{ ...valid, agent: { ...valid.agent, tools: [{ name: 'rm_rf' }] } }, ['body', 'agent', 'tools', 0, 'name']],
      [{ ...valid, max_iterations: 0 }, ['body', 'max_iterations']],
      [{ ...valid, max_iterations: 'many' }, ['body', 'max_iterations']],
      [{ ...valid, conversation_id: '../escape' }, ['body', 'conversation_id']],
      [{ ...valid, initial_message: { role: 'user', content: [{ type: 'text', text: 'x'.repeat(1_000_001) }] } }, ['body']],
      [{ ...valid, initial_message: { role: 'user', content: [] } }, ['body', 'initial_message', 'content']],
      [{ ...valid, secrets: { 'bad name': 'x' } }, ['body', 'secrets', 'bad name']],
      [[], ['body']],
    ];
    for (const [body, loc] of cases) {
      const response = await server.api('POST', '/api/conversations', body);
      if (loc.length === 1 && JSON.stringify(body).length > 256 * 1024) {
        expect(response.status).toBe(413);
        continue;
      }
      expect({ loc, status: response.status }).toEqual({ loc, status: 422 });
      expect(response.body.detail.map((issue: { loc: unknown[] }) => issue.loc)).toContainEqual(loc);
    }
    const titles = await server.api('PATCH', `/api/conversations/${conversationId}`, { title: 't'.repeat(201) });
    expect(titles.status).toBe(422);
    expect(titles.body.detail[0]).toMatchObject({ loc: ['body', 'title'], type: 'too_big' });
    const message = await server.api('POST', `/api/conversations/${conversationId}/events`, { role: 'assistant', content: [{ type: 'text', text: 'x' }] });
    expect(message.body.detail[0].loc).toEqual(['body', 'role']);
    const image = await server.api('POST', `/api/conversations/${conversationId}/events`, { content: [{ type: 'video', url: 'x' }] });
    expect(image.status).toBe(422);
  });

  it('422 for bad JSON and bad query values, 413 for an oversized body', async () => {
    const badJson = await server.api('POST', '/api/conversations', '{"agent": ');
    expect(badJson.status).toBe(422);
    expect(badJson.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_invalid' });
    expect((await server.api('GET', '/api/conversations/search?limit=101')).body.detail[0].loc).toEqual(['query', 'limit']);
    expect((await server.api('GET', '/api/conversations/search?limit=0')).status).toBe(422);
    expect((await server.api('GET', '/api/conversations/search?sort_order=SIDEWAYS')).status).toBe(422);
    expect((await server.api('GET', '/api/conversations/search?page_id=%%%')).status).toBe(422);
    expect((await server.api('GET', `/api/conversations/${conversationId}/events/search?limit=500`)).status).toBe(422);
    expect((await server.api('GET', `/api/conversations/${conversationId}/events/search?timestamp__gte=yesterday`)).status).toBe(422);
    const huge = await server.api('POST', `/api/conversations/${conversationId}/events`, userMessage('x'.repeat(300 * 1024)));
    expect(huge.status).toBe(413);
    expect(typeof huge.body.detail).toBe('string');
  });
});
