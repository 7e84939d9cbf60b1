import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, textContent, toChatTools, toModelTool } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const tool = (name: string) => toModelTool(defineTool({ name, description: `The ${name} tool.`, parameters: z.object({ text: z.string() }), execute: () => 'ok' }));
const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

describe('the tools of a chat request', () => {
  it('are sent as toChatTools makes them, and a list that changes after the same first tool is sent as it is now', async () => {
    const [first, second, third] = [tool('first'), tool('second'), tool('third')];
    const llm = mockLLM(server, { temperature: 0.5 });
    const id = 'chat-request-tools';
    server.setScript(id, [mock.text('a'), mock.text('b'), mock.text('c'), mock.text('d')]);
    const lists = [[first, second], [first, second], [first, third], [first, second, third]];
    for (const tools of lists) await llm.complete({ messages: hello, tools, conversationId: id });
    const sent = server.requestsFor(id).map((request) => request.body);
    expect(sent.map((body) => body.tools)).toEqual(lists.map((tools) => toChatTools(tools)));
    // The rest of the request is intact after the tools.
    for (const body of sent) expect(body).toMatchObject({ model: 'mock-model', temperature: 0.5, messages: [{ role: 'user', content: 'hi' }] });
  });
});
