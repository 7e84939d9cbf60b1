import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mock, type MockServer } from '@troupe/core/testing';
import { describe, expect, it } from 'vitest';
import { openHandsRejection } from './conformance/openhands-event-models.js';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
useTestServer({}, (context) => {
  ({ llm, server } = context);
});

/** The test MCP server of @troupe/workers, run over stdio. */
const mcpTestServer = fileURLToPath(new URL('../../workers/test/fixtures/mcp-test-server.mjs', import.meta.url));

describe('agent.mcp_config', () => {
  it("is honoured: the server's tool is the agent's, its result in the observation, a server that fails an error event; events as OpenHands parses them", async () => {
    const id = 'mcp-stdio-1';
    const markers = tempDir();
    llm.setScript(id, [mock.toolCall('local_echo', { text: 'over the wire' }), mock.finish('done')]);
    const local = { command: process.execPath, args: [mcpTestServer], env: { MCP_MARKER_DIR: markers }, transport: null };
    const broken = { command: process.execPath, args: ['-e', 'process.exit(7)'] };
    const created = await server.api('POST', '/api/conversations', {
      agent: { ...wireAgent(llm), mcp_config: { local, broken } },
      workspace: { working_dir: tempDir() },
      conversation_id: id,
      initial_message: userMessage('echo it', true),
    });
    expect(created.status).toBe(201);
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');
    const events = (await server.api('GET', `/api/conversations/${id}/events/search?limit=100`)).body.items;
    expect(events.find((event: any) => event.kind === 'ObservationEvent').observation).toEqual({
      kind: 'MCPToolObservation',
      content: [{ type: 'text', text: "[Tool 'local_echo' executed.]" }, { type: 'text', text: 'echo: over the wire' }],
      is_error: false,
      tool_name: 'local_echo',
    });
    expect(events.find((event: any) => event.kind === 'ConversationErrorEvent')).toMatchObject({ code: 'McpServerError', detail: expect.stringContaining('MCP server "broken"') });
    expect(events.find((event: any) => event.kind === 'SystemPromptEvent').tools).toContainEqual(expect.objectContaining({ kind: 'MCPToolDefinition', title: 'Echo', mcp_tool: expect.objectContaining({ name: 'local_echo' }) }));
    expect(events.map(openHandsRejection).filter(Boolean)).toEqual([]);
    expect(readdirSync(markers).filter((name) => name.startsWith('started-'))).toHaveLength(1);
    const info = await server.api('GET', `/api/conversations/${id}`);
    expect(info.body.agent.mcp_config).toEqual({ local: { command: process.execPath, args: [mcpTestServer], env: { MCP_MARKER_DIR: '**********' } }, broken });
    expect(JSON.stringify(info.body.not_applied ?? [])).not.toContain('mcp_config');
  });

  it('takes the mcpServers wrapper too; a field Troupe does not act on, or a server without a command or url, is a 422 naming it', async () => {
    const create = (mcp_config: unknown) => server.api('POST', '/api/conversations', { agent: { ...wireAgent(llm), mcp_config }, workspace: { working_dir: tempDir() } });
    const unknown = await create({ mcpServers: { remote: { url: 'http://127.0.0.1:9/mcp', keep_alive: true } } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.detail[0]).toMatchObject({ loc: ['body', 'agent', 'mcp_config', 'remote'], msg: expect.stringContaining('keep_alive') });
    const empty = await create({ nothing: { args: ['x'] } });
    expect(empty.status).toBe(422);
    expect(empty.body.detail[0]).toMatchObject({ loc: ['body', 'agent', 'mcp_config', 'nothing'], msg: expect.stringContaining('needs a command') });
  });
});
