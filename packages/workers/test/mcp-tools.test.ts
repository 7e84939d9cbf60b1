import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, type Event, type McpConfig, type ObservationEvent } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpMcpServer, mcpTestServerPath, startHttpMcpServer } from './fixtures/mcp-test-server.mjs';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

let http: HttpMcpServer;
const httpMarkers = tempDir('troupe-mcp-http-');
const stdioMarkers = tempDir('troupe-mcp-stdio-');
beforeAll(async () => {
  http = await startHttpMcpServer({ markerDir: httpMarkers, requiredHeader: { name: 'x-test-token', value: 'token-from-secret-123' } });
});
afterAll(() => http.close());

const stdioServer = (markerDir: string) => ({ command: process.execPath, args: [mcpTestServerPath], env: { MCP_MARKER_DIR: markerDir } });
const agentWith = (mcpConfig: McpConfig): Agent => Agent.fromConfig({ ...mockAgent(server).config, mcpConfig });
const observations = (events: readonly Event[]) => events.filter((e): e is ObservationEvent => e.kind === 'ObservationEvent').map((e) => e.observation);
const texts = (observation: { content: { type: string; text?: string }[] }) => observation.content.map((part) => part.text ?? part.type);

describe('MCP tools', () => {
  it('a stdio server serves tools the model calls: results, images and errors in the observations; one server for every run', async () => {
    const markers = tempDir('troupe-mcp-stdio-');
    const conversation = supervisor.conversation({ agent: agentWith({ mcpServers: { local: stdioServer(markers) } }), workspace: tempDir() });
    server.setScript(conversation.id, [
      mock.toolCall('echo', { text: 'hello' }),
      mock.toolCall('pixel', {}),
      mock.toolCall('fail', {}),
      mock.toolCall('pid', {}),
      mock.finish('first run done'),
      mock.toolCall('pid', {}),
      mock.finish('second run done'),
    ]);
    await conversation.sendMessage('use the tools');
    expect(await conversation.run()).toBe('finished');
    await conversation.sendMessage('again');
    expect(await conversation.run()).toBe('finished');

    const events = await conversation.getEvents();
    const [echo, pixel, fail, pid1, , pid2] = observations(events);
    expect(echo).toEqual({ kind: 'MCPToolObservation', content: [{ type: 'text', text: "[Tool 'echo' executed.]" }, { type: 'text', text: 'echo: hello' }], is_error: false, tool_name: 'echo' });
    expect(pixel).toMatchObject({ is_error: false, content: [{ type: 'text' }, { type: 'text', text: 'a pixel:' }, { type: 'image', image_urls: [expect.stringMatching(/^data:image\/png;base64,iVBOR/)] }] });
    expect(fail).toMatchObject({ is_error: true, tool_name: 'fail' });
    expect(texts(fail!)).toContain('it went wrong');
    // Reused across runs: the same process answered both.
    expect(texts(pid2!)[1]).toBe(texts(pid1!)[1]);
    expect(readdirSync(markers).filter((name) => name.startsWith('started-'))).toHaveLength(1);

    // The tools as the model got them: the server's JSON Schema; read-only (readOnlyHint) asks for no security_risk.
    const tools = server.requestsFor(conversation.id)[0]!.body.tools as { function: { name: string; parameters: { properties: Record<string, unknown>; required?: string[] } } }[];
    const byName = new Map(tools.map((tool) => [tool.function.name, tool.function.parameters]));
    expect(byName.get('echo')).toMatchObject({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
    expect(byName.get('echo')!.properties).not.toHaveProperty('security_risk');
    expect(byName.get('add')!.properties).toHaveProperty('security_risk');
    const systemPrompt = events.find((e) => e.kind === 'SystemPromptEvent');
    expect(systemPrompt).toMatchObject({ tools: expect.arrayContaining([expect.objectContaining({ kind: 'MCPToolDefinition', title: 'Echo', annotations: { title: 'Echo', readOnlyHint: true } })]) });

    await conversation.close();
    // Closed with the conversation: the server process is gone.
    const pid = Number(texts(pid1!)[1]);
    await expect.poll(() => isAlive(pid)).toBe(false);
  });

  it('streamable HTTP and stdio servers side by side: tools named by server, headers with ${SECRET} honoured', async () => {
    const markers = tempDir('troupe-mcp-stdio-');
    const mcpConfig = {
      mcpServers: { local: stdioServer(markers), remote: { url: http.url, headers: { 'x-test-token': '${TEST_TOKEN}' } } },
    };
    const conversation = supervisor.conversation({ agent: agentWith(mcpConfig), workspace: tempDir(), secrets: { TEST_TOKEN: 'token-from-secret-123' } });
    server.setScript(conversation.id, [mock.toolCall('remote_add', { a: 2, b: 40 }), mock.toolCall('local_echo', { text: 'side' }), mock.finish('done')]);
    await conversation.sendMessage('add');
    expect(await conversation.run()).toBe('finished');
    const [add, echo] = observations(await conversation.getEvents());
    expect(add).toMatchObject({ kind: 'MCPToolObservation', is_error: false, tool_name: 'remote_add' });
    expect(texts(add!)[1]).toBe('42');
    expect(texts(echo!)[1]).toBe('echo: side');
    expect(http.sessions()).toBe(1);
    await conversation.close();
    // Its session was ended with the conversation.
    await expect.poll(() => http.sessions()).toBe(0);
  });

  it('an SSE server (transport inferred from its /sse URL) serves its tools too; a null argument is one left out', async () => {
    const conversation = supervisor.conversation({ agent: agentWith({ mcpServers: { old: { url: http.sseUrl, headers: { 'x-test-token': 'token-from-secret-123' } } } }), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('add', { a: 1, b: 2, note: null }), mock.finish('done')]);
    await conversation.sendMessage('add');
    expect(await conversation.run()).toBe('finished');
    const [add] = observations(await conversation.getEvents());
    expect(add).toMatchObject({ kind: 'MCPToolObservation', is_error: false, tool_name: 'add' });
    expect(texts(add!)[1]).toBe('3');
    await conversation.close();
  });

  it('a resumed conversation starts its servers again; their credentials are never stored', async () => {
    const markers = tempDir('troupe-mcp-stdio-');
    const persistenceDir = tempDir('troupe-mcp-store-');
    const mcpConfig = { mcpServers: { local: { ...stdioServer(markers), env: { MCP_MARKER_DIR: markers, TEST_API_KEY: 'very-secret-value-1' } } } };
    const first = supervisor.conversation({ agent: agentWith(mcpConfig), workspace: tempDir(), persistenceDir });
    server.setScript(first.id, [mock.toolCall('echo', { text: 'one' }), mock.finish('done'), mock.toolCall('echo', { text: 'two' }), mock.finish('done')]);
    await first.sendMessage('go');
    expect(await first.run()).toBe('finished');
    await first.close();
    const stored = readFileSync(join(persistenceDir, first.id, 'state.json'), 'utf8');
    expect(stored).toContain('TEST_API_KEY');
    expect(stored).not.toContain('very-secret-value-1');

    const resumed = supervisor.resume(first.id, { agent: agentWith(mcpConfig), persistenceDir });
    await resumed.sendMessage('again');
    expect(await resumed.run()).toBe('finished');
    const resumedEvents = await resumed.getEvents();
    // The second run's echo (after the first run's echo and finish).
    expect(texts(observations(resumedEvents)[2]!)[1]).toBe('echo: two');
    expect(readdirSync(markers).filter((name) => name.startsWith('started-'))).toHaveLength(2);
    await resumed.close();
  });

  it('a server that fails to start is an error event; the conversation goes on with the others', async () => {
    const failing = { command: process.execPath, args: ['-e', 'process.stderr.write("boom: no config\\n"); process.exit(1)'] };
    const conversation = supervisor.conversation({ agent: agentWith({ mcpServers: { broken: failing, remote: { url: http.url, headers: { 'x-test-token': 'token-from-secret-123' } } } }), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('remote_echo', { text: 'still here' }), mock.finish('done')]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const events = await conversation.getEvents();
    const error = events.find((e) => e.kind === 'ConversationErrorEvent');
    expect(error).toMatchObject({ code: 'McpServerError', detail: expect.stringMatching(/MCP server "broken" .* failed to start: .*boom: no config/s) });
    expect(texts(observations(events)[0]!)[1]).toBe('echo: still here');
    expect(conversation.state.status).toBe('finished');
    await conversation.close();
  });

  it.each([
    ['stdio', () => ({ local: stdioServer(stdioMarkers) }), () => stdioMarkers],
    ['streamable HTTP', () => ({ remote: { url: http.url, headers: { 'x-test-token': 'token-from-secret-123' } } }), () => httpMarkers],
  ])('interrupt during a slow MCP tool cancels the call on the server (%s)', async (transport, mcpServers, markers) => {
    const conversation = supervisor.conversation({ agent: agentWith({ mcpServers: mcpServers() }), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('slow', { text: transport }), mock.finish('done')]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await expect.poll(async () => (await conversation.getEvents()).some((e) => e.kind === 'ActionEvent')).toBe(true);
    await conversation.interrupt();
    expect(await run).toBe('paused');
    await expect.poll(() => existsSync(join(markers(), `cancelled-${transport}`))).toBe(true);
    await conversation.close();
  });

  it('a server that dies is started again once; after a second death its calls fail and say so', async () => {
    const markers = tempDir('troupe-mcp-stdio-');
    const conversation = supervisor.conversation({ agent: agentWith({ mcpServers: { local: stdioServer(markers) } }), workspace: tempDir() });
    server.setScript(conversation.id, [
      mock.toolCall('pid', {}),
      mock.toolCall('exit', {}),
      mock.toolCall('pid', {}),
      mock.toolCall('exit', {}),
      mock.toolCall('pid', {}),
      mock.finish('done'),
    ]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const [first, exit1, second, , third] = observations(await conversation.getEvents());
    expect(exit1).toMatchObject({ is_error: true });
    expect(texts(second!)[1]).not.toBe(texts(first!)[1]);
    expect(second).toMatchObject({ is_error: false });
    expect(readdirSync(markers).filter((name) => name.startsWith('started-'))).toHaveLength(2);
    expect(third).toMatchObject({ is_error: true });
    expect(texts(third!)[0]).toMatch(/MCP server "local" died again after it was restarted once/);
    await conversation.close();
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
