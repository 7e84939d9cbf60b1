import { describe, expect, it } from 'vitest';
import { textContent } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

const hello = [{ role: 'user' as const, content: [textContent('hi')] }];

/** `reasoningEffort` reaches the request of OpenAI reasoning models and Gemini, in each API's own field. */
describe('reasoningEffort', () => {
  it.each([
    ['openai/o3', 'high', 'o3'],
    ['openai/gpt-5.1', 'none', 'gpt-5.1'],
    ['gemini/gemini-2.5-flash', 'none', 'gemini-2.5-flash'],
    ['gemini/gemini-2.5-pro', 'low', 'gemini-2.5-pro'],
  ] as const)('%s sends reasoning_effort %s in its Chat Completions request', async (model, effort, sent) => {
    const id = `effort-${model}-${effort}`;
    server.setScript(id, [mock.text('ok', { reasoning: 'thinking' })]);
    const response = await mockLLM(server, { model, reasoningEffort: effort }).complete({ messages: hello, tools: [], conversationId: id });

    expect(server.requestsFor(id)[0]!.body).toMatchObject({ model: sent, reasoning_effort: effort });
    expect(response.reasoningContent).toBe('thinking');
  });

  it('sends it as reasoning.effort on the Responses API', async () => {
    server.setScript('effort-responses', [mock.text('ok')]);
    await mockLLM(server, { model: 'openai/gpt-5', apiMode: 'responses', reasoningEffort: 'low' }).complete({ messages: hello, tools: [], conversationId: 'effort-responses' });

    expect(server.requestsFor('effort-responses')[0]!.body).toMatchObject({ reasoning: { effort: 'low' } });
  });
});
