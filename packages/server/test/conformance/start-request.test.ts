import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { titleConversationId } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { type TestServer, tempDir, useTestServer } from '../helpers.js';
import { openHandsAgent, openHandsLLM, secretsBody, startWithClientDefaults, startWithEverything } from './openhands-requests.js';

let llm: MockServer;
let server: TestServer;
useTestServer({ apiKey: 'session-key' }, (context) => {
  ({ llm, server } = context);
});

/** A LookupSecret endpoint on loopback: answers the value when the Authorization header is right. */
let vault: Server;
let vaultUrl: string;
beforeAll(async () => {
  vault = createServer((request, response) => {
    if (request.headers.authorization !== 'Bearer y') return void response.writeHead(401).end('no');
    response.writeHead(200, { 'content-type': 'text/plain' }).end('looked-up-value');
  });
  await new Promise<void>((resolve) => vault.listen(0, '127.0.0.1', resolve));
  vaultUrl = `http://127.0.0.1:${(vault.address() as AddressInfo).port}/secret`;
});
afterAll(() => new Promise<void>((resolve) => vault.close(() => resolve())));

const fields = (info: any) => info.not_applied.map((entry: { field: string }) => entry.field);

describe('POST /api/conversations as OpenHands writes it', () => {
  it('accepts the client defaults (nulls, always-sent keys, tool class names) and maps the LLM in OpenHands units', async () => {
    const created = await server.api('POST', '/api/conversations', startWithClientDefaults(llm.url, tempDir()));
    expect(created.status).toBe(201);
    const info = created.body;
    // OpenHands' units read back: seconds, retries; unset fields are null; the key never shows.
    expect(info.agent.llm).toMatchObject({ model: 'openai/mock-model', base_url: llm.url, timeout: 300, num_retries: 5, retry_min_wait: 8, retry_max_wait: 64, temperature: null, max_output_tokens: null, usage_id: 'default' });
    expect(info.agent.llm).not.toHaveProperty('api_key');
    expect(info.agent.tools.map((tool: { name: string }) => tool.name)).toEqual(['terminal', 'file_editor', 'task_tracker']);
    expect(info.agent).toMatchObject({ kind: 'Agent', system_prompt: null, tool_concurrency_limit: 1, mcp_config: {}, include_default_tools: ['FinishTool', 'ThinkTool'] });
    // Stored fields that do not act as in OpenHands are named; inert defaults are not.
    expect(fields(info)).toContain('agent.llm.reasoning_effort');
    expect(fields(info)).toContain('agent.llm.extended_thinking_budget');
    expect(fields(info)).not.toContain('agent.llm.drop_params');
    expect(fields(info)).not.toContain('tool_module_qualnames');
    expect(info).toMatchObject({ security_analyzer: null, client_tools: [], tags: {}, max_iterations: 500, stuck_detection: true, execution_status: 'idle' });
    // Stored beside state.json (what a reopened conversation reports), without the API key.
    const stored = JSON.parse(readFileSync(join(server.persistenceDir, info.id, 'server.json'), 'utf8'));
    expect(stored.stored_agent.llm.reasoning_effort).toBe('high');
    expect(JSON.stringify(stored)).not.toContain('sk-test');
  });

  it('keeps a condenser, hooks, client tools, tags, thresholds and the chosen id, and reports what is not applied', async () => {
    const id = '99999999-2222-4333-8444-555555555555';
    const created = await server.api('POST', '/api/conversations', startWithEverything(llm.url, tempDir(), id));
    expect(created.status).toBe(201);
    const info = created.body;
    expect(info).toMatchObject({ id, max_iterations: 50, tags: { team: 'core' }, client_tools: [{ name: 'ask_user' }] });
    // The condenser is honoured (core's, in OpenHands' shape), its model shown without the key like the agent's.
    expect(info.agent.condenser).toMatchObject({ kind: 'LLMSummarizingCondenser', max_size: 80, llm: { usage_id: 'condenser' } });
    expect(info.agent.condenser.llm).not.toHaveProperty('api_key');
    expect(info.hook_config.pre_tool_use[0].matcher).toBe('terminal');
    expect(fields(info)).toEqual(expect.arrayContaining(['client_tools']));
    // Hooks and the condenser act: they are not among the fields stored without effect.
    expect(fields(info)).not.toContain('hook_config');
    expect(fields(info)).not.toContain('agent.condenser');
    expect(JSON.stringify(info)).not.toContain('sk-test');
  });

  it('honours the OpenHands LLM fields core has: timeout in seconds, retries, temperature, costs, tool concurrency', async () => {
    const body = startWithClientDefaults(llm.url, tempDir());
    body.agent = openHandsAgent(openHandsLLM(llm.url, { timeout: 12, num_retries: 0, temperature: 0.2, max_output_tokens: 77, input_cost_per_token: 0.5, output_cost_per_token: 1 }), { tool_concurrency_limit: 3 });
    const created = await server.api('POST', '/api/conversations', { ...body, initial_message: { role: 'user', content: [{ type: 'text', text: 'hi' }], run: false } });
    expect(created.body.agent.llm).toMatchObject({ timeout: 12, num_retries: 0, temperature: 0.2, max_output_tokens: 77 });
    expect(created.body.agent.tool_concurrency_limit).toBe(3);
    // The run started anyway (OpenHands ignores `run` on an initial message); the model got OpenHands' settings.
    await llm.waitForRequests(1, { conversationId: created.body.id });
    const sent = llm.requestsFor(created.body.id)[0]!.body as { temperature?: number; max_tokens?: number; max_completion_tokens?: number };
    expect(sent.temperature).toBe(0.2);
    expect(sent.max_tokens ?? sent.max_completion_tokens).toBe(77);
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${created.body.id}`)).body.stats.usage_to_metrics.default?.accumulated_cost ?? 0).toBeGreaterThan(0);
  });

  it('answers 422 in FastAPI shape for a set field Troupe cannot honour yet, or a wrong type', async () => {
    const body = startWithClientDefaults(llm.url, tempDir());
    const badType = await server.api('POST', '/api/conversations', { ...body, agent: openHandsAgent(openHandsLLM(llm.url, { timeout: 'soon' })) });
    expect(badType.status).toBe(422);
    expect(badType.body.detail[0]).toMatchObject({ loc: ['body', 'agent', 'llm', 'timeout'], type: expect.any(String), msg: expect.any(String) });
    const unknownTool = await server.api('POST', '/api/conversations', { ...body, agent: openHandsAgent(openHandsLLM(llm.url), { tools: [{ name: 'BrowserTool', params: {} }] }) });
    expect(unknownTool.status).toBe(422);
    expect(unknownTool.body.detail[0].loc).toEqual(['body', 'agent', 'tools', 0, 'name']);
  });

  it('fetches a LookupSecret on the server, with a clear 422 when its URL cannot be reached', async () => {
    const created = await server.api('POST', '/api/conversations', { ...startWithClientDefaults(llm.url, tempDir()), secrets: { PLAIN: 'plain-1' } });
    const id = created.body.id;
    expect((await server.api('POST', `/api/conversations/${id}/secrets`, secretsBody(vaultUrl))).status).toBe(200);
    const info = (await server.api('GET', `/api/conversations/${id}`)).body;
    expect(info.secret_names.sort()).toEqual(['LOOK', 'PLAIN', 'STATIC']);
    // The looked-up value reaches a command and is masked in what it printed.
    llm.setScript(id, [mock.toolCall('terminal', { command: 'echo "[$LOOK]"', security_risk: 'LOW' }), mock.finish('done')]);
    await server.api('POST', `/api/conversations/${id}/events`, { role: 'user', content: [{ type: 'text', text: 'go' }], run: true });
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');
    const log = JSON.stringify((await server.api('GET', `/api/conversations/${id}/events/search`)).body.items);
    expect(log).not.toContain('looked-up-value');
    expect(log).toContain('[<secret-hidden>]');

    const unreachable = await server.api('POST', `/api/conversations/${id}/secrets`, { secrets: { GONE: { kind: 'LookupSecret', url: 'http://127.0.0.1:9/nothing', headers: {} } } });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.detail[0].loc).toEqual(['body', 'secrets', 'GONE', 'url']);
    expect(unreachable.body.detail[0].msg).toContain('could not be reached');
    const refused = await server.api('POST', `/api/conversations/${id}/secrets`, { secrets: { BAD: { kind: 'LookupSecret', url: vaultUrl, headers: { Authorization: 'Bearer wrong' } } } });
    expect(refused.body.detail[0].msg).toContain('answered 401');
  });

  it('the model titles the conversation from its first message unless autotitle is false', async () => {
    llm.setScript(titleConversationId('start-titled'), [mock.text('Flaky test fix')]);
    const titled = await server.api('POST', '/api/conversations', { ...startWithClientDefaults(llm.url, tempDir()), conversation_id: 'start-titled', initial_message: { role: 'user', content: [{ type: 'text', text: 'Fix the flaky test\nin detail' }] }, run_initial_message: false });
    expect(titled.status).toBe(201);
    await expect.poll(async () => (await server.api('GET', '/api/conversations/start-titled')).body.title).toBe('Flaky test fix');
    const untitled = await server.api('POST', '/api/conversations', { ...startWithClientDefaults(llm.url, tempDir()), autotitle: false, initial_message: { role: 'user', content: [{ type: 'text', text: 'No title please' }] }, run_initial_message: false });
    expect(untitled.body).not.toHaveProperty('title');
  });
});
