import { describe, expect, it } from 'vitest';
import { Agent, ConfigError, expandMcpSecrets, mcpCredentialValues, McpConfigSchema, mcpResultToOutput, mcpToolName, mcpTransportOf } from '../src/index.js';

describe('MCP config', () => {
  it('infers the transport: stdio for a command, SSE for a /sse URL, else streamable HTTP; a given one wins', () => {
    expect(mcpTransportOf({ command: 'node' })).toBe('stdio');
    expect(mcpTransportOf({ url: 'http://127.0.0.1:1/sse' })).toBe('sse');
    expect(mcpTransportOf({ url: 'http://127.0.0.1:1/mcp' })).toBe('http');
    expect(mcpTransportOf({ url: 'http://127.0.0.1:1/sse', transport: 'streamable-http' })).toBe('streamable-http');
  });

  it('names tools as OpenHands does: as they are with one server, prefixed by the server with several', () => {
    expect(mcpToolName('fetch', 'get', 1)).toBe('get');
    expect(mcpToolName('fetch', 'get', 2)).toBe('fetch_get');
  });

  it('refuses what it cannot honour: unknown fields, a server without a command or url, a stdio server given a url, a bad name', () => {
    const issues = (mcpServers: unknown) => McpConfigSchema.safeParse({ mcpServers }).error?.issues.map((issue) => ({ path: issue.path, message: issue.message }));
    expect(issues({ a: { command: 'x', auth: { strategy: 'bearer' } } })).toEqual([{ path: ['mcpServers', 'a'], message: expect.stringContaining('auth') }]);
    expect(issues({ a: {} })).toEqual([{ path: ['mcpServers', 'a'], message: expect.stringContaining('needs a command') }]);
    expect(issues({ a: { url: 'http://127.0.0.1:1/mcp', transport: 'stdio' } })).toEqual(expect.arrayContaining([{ path: ['mcpServers', 'a', 'command'], message: 'a stdio MCP server needs a command' }]));
    expect(issues({ 'a.b': { command: 'x' } })?.[0]?.path).toEqual(['mcpServers', 'a.b']);
    expect(() => new Agent({ llm: { model: 'openai/gpt-4o' }, mcpConfig: { mcpServers: { a: {} } } })).toThrow(ConfigError);
  });

  it('expands ${NAME} and ${NAME:-default} in env and headers from the secrets; a missing one is an error naming it', () => {
    const server = { url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer ${TOKEN}', 'X-Region': '${REGION:-eu}' } };
    expect(expandMcpSecrets('api', server, { TOKEN: 't0k3n' }).headers).toEqual({ Authorization: 'Bearer t0k3n', 'X-Region': 'eu' });
    expect(() => expandMcpSecrets('api', server, {})).toThrow(/MCP server "api": headers.Authorization refers to \$\{TOKEN\}, which is no secret/);
  });

  it('masks credential values: env named as credentials, credential headers; not every short value', () => {
    const values = mcpCredentialValues({
      mcpServers: { a: { command: 'x', env: { GITHUB_TOKEN: 'ghp_abcdefgh12', DEBUG: '1' } }, b: { url: 'http://127.0.0.1:1/mcp', headers: { Authorization: 'Bearer secret-value', Accept: 'application/json' } } },
    });
    expect(values.sort()).toEqual(['Bearer secret-value', 'ghp_abcdefgh12']);
  });
});

describe('MCP results', () => {
  it('become the tool output as OpenHands has them: a header line, text and images, resources as text, isError kept', () => {
    const output = mcpResultToOutput('get', {
      content: [
        { type: 'text', text: 'hello' },
        { type: 'image', data: 'AAAA', mimeType: 'image/jpeg' },
        { type: 'resource', resource: { uri: 'file:///a.txt', text: 'file text' } },
        { type: 'resource_link', uri: 'file:///b.bin', name: 'b.bin' },
        { type: 'audio', data: 'AAAA', mimeType: 'audio/wav' },
      ],
      isError: true,
    });
    expect(output).toEqual({
      content: [
        { type: 'text', text: "[Tool 'get' executed.]" },
        { type: 'text', text: 'hello' },
        { type: 'image', image_urls: ['data:image/jpeg;base64,AAAA'] },
        { type: 'text', text: 'file text' },
        { type: 'text', text: '[Resource link: b.bin file:///b.bin]' },
        { type: 'text', text: '[audio content (audio/wav), not shown]' },
      ],
      isError: true,
    });
  });

  it('with only structured content show it as JSON', () => {
    expect(mcpResultToOutput('t', { content: [], structuredContent: { n: 1 } })).toEqual({ content: [{ type: 'text', text: "[Tool 't' executed.]" }, { type: 'text', text: '{"n":1}' }], isError: false });
  });
});
