import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ModelTool, textContent, toChatTools } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));
afterEach(() => vi.unstubAllEnvs());

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];
const tools: ModelTool[] = [
  { name: 'echo', description: 'Echoes text back.', parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  { name: 'finish', description: 'Ends the task.', parameters: { type: 'object', properties: {} } },
];

/** The chat path's own transport, seen from the server: what it sends for an OpenAI-compatible endpoint. */
describe('OpenAI-compatible chat transport', () => {
  it('sends each tool as toChatTools makes it, at every call; a litellmExtraBody that sets tools wins', async () => {
    server.setScript('t-tools', [mock.text('one'), mock.text('two')]);
    const llm = mockLLM(server);
    await llm.complete({ messages: hello, tools, conversationId: 't-tools' });
    await llm.complete({ messages: hello, tools: [...tools].reverse(), conversationId: 't-tools' });
    const [first, second] = server.requestsFor('t-tools');
    expect(first!.body.tools).toEqual(toChatTools(tools));
    expect(second!.body.tools).toEqual(toChatTools([...tools].reverse()));
    expect(first!.body).toMatchObject({ model: 'mock-model', stream: false });

    server.setScript('t-extra-tools', [mock.text('ok')]);
    const own = [{ type: 'function', function: { name: 'only', parameters: { type: 'object' } } }];
    await mockLLM(server, { litellmExtraBody: { tools: own } }).complete({ messages: hello, tools, conversationId: 't-extra-tools' });
    expect(server.requestsFor('t-extra-tools')[0]!.body.tools).toEqual(own);
  });

  it('lets an extra header replace its own header of that name, whatever its case', async () => {
    server.setScript('t-header', [mock.text('ok')]);
    await mockLLM(server, { extraHeaders: { Authorization: 'Bearer through-proxy', 'X-Team': 'core' } }).complete({ messages: hello, tools: [], conversationId: 't-header' });
    const [record] = server.requestsFor('t-header');
    expect(record!.headers.authorization).toBe('Bearer through-proxy');
    expect(record!.headers['x-team']).toBe('core');
  });

  it('sends OPENAI_ORG_ID and OPENAI_PROJECT_ID as the openai client does', async () => {
    vi.stubEnv('OPENAI_ORG_ID', 'org-1');
    vi.stubEnv('OPENAI_PROJECT_ID', 'proj-1');
    server.setScript('t-org', [mock.text('ok')]);
    await mockLLM(server, { apiKey: 'org-test-key' }).complete({ messages: hello, tools: [], conversationId: 't-org' });
    const [record] = server.requestsFor('t-org');
    expect(record!.headers['openai-organization']).toBe('org-1');
    expect(record!.headers['openai-project']).toBe('proj-1');
  });

  it('follows a redirect of its base URL, as fetch does', async () => {
    const target = new URL(server.url);
    const redirecting: Server = createServer((request, response) => {
      response.writeHead(307, { location: `${target.origin}${request.url!.replace('/moved', target.pathname)}` }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      server.setScript('t-redirect', [mock.text('found it')]);
      const { port } = redirecting.address() as AddressInfo;
      const response = await mockLLM(server, { baseUrl: `http://127.0.0.1:${port}/moved` }).complete({ messages: hello, tools: [], conversationId: 't-redirect' });
      expect(response.content).toBe('found it');
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });
});
