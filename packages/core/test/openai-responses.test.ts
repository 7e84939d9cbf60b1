import { describe, expect, it } from 'vitest';
import { type ActionEvent, EventSchema, textContent } from '../src/index.js';
import { mock, mockReasoningEncryptedContent, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

/** OpenAI's Responses API (`apiMode: 'responses'`) on the mock's `/v1/responses`. */
describe('OpenAI Responses API', () => {
  it.each([false, true])('keeps the reasoning item across tool calls and sends it back unchanged (stream: %s)', async (stream) => {
    const llm = mockLLM(server, { model: 'openai/o4-mini', apiMode: 'responses', reasoningEffort: 'medium', stream });
    const c = createConversation(llm, [echoTool()]);
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: 'a' }, { text: 'Echoing.', reasoning: 'Start with a.' }),
      mock.toolCall('echo', { text: 'b' }, { reasoning: 'Then b.' }),
      mock.finish('done'),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const requests = server.requestsFor(c.runtime.id);
    const first = c.runtime.events.find((event): event is ActionEvent => event.kind === 'ActionEvent')!;

    expect(requests.map((request) => [request.api, request.path, request.outcome])).toEqual([
      ['openai-responses', '/v1/responses', 'replied'],
      ['openai-responses', '/v1/responses', 'replied'],
      ['openai-responses', '/v1/responses', 'replied'],
    ]);
    expect(requests[0]!.body).toMatchObject({ model: 'o4-mini', store: false, include: ['reasoning.encrypted_content'], reasoning: { effort: 'medium' } });
    expect(typeof requests[0]!.body.instructions).toBe('string');
    expect(first).toMatchObject({
      reasoning_content: 'Start with a.',
      thought: [textContent('Echoing.')],
      responses_reasoning_item: { summary: ['Start with a.'], encrypted_content: mockReasoningEncryptedContent('Start with a.'), status: 'completed' },
    });
    expect(first.responses_reasoning_item!.id).toMatch(/^rs_mock_/);
    // Turn 2 sends turn 1's reasoning item back; turn 3 sends both, in order, each verified by the mock.
    expect(requests[1]!.responses!.reasoningItems).toEqual([{ index: 1, valid: true }]);
    expect(requests[2]!.responses!.reasoningItems.map((item) => item.valid)).toEqual([true, true]);
    expect(requests[2]!.body.input.map((item: { type?: string; role?: string }) => item.type ?? item.role)).toEqual([
      'user',
      'reasoning',
      'assistant',
      'function_call',
      'function_call_output',
      'reasoning',
      'function_call',
      'function_call_output',
    ]);
    for (const event of c.runtime.events) expect(EventSchema.safeParse(event).success).toBe(true);
    if (stream) {
      const tokens = c.events.filter((event) => event.kind === 'StreamingDeltaEvent');
      expect(tokens.map((token) => ('reasoning_content' in token ? (token.reasoning_content ?? '') : '')).join('')).toBe('Start with a.Then b.');
    }
  });

  it('reports usage with cached and reasoning tokens, and sends tool results with their images', async () => {
    const llm = mockLLM(server, { model: 'openai/gpt-5', apiMode: 'responses' });
    // The request holds one model turn, so it gets turn 1 of the script.
    server.setScript('responses-usage', [mock.text('unused'), mock.text('ok', { reasoning: 'Thought hard.', usage: { prompt_tokens: 1000, completion_tokens: 50, cached_tokens: 600 } })]);
    const response = await llm.complete({
      messages: [
        { role: 'user', content: [textContent('look')] },
        { role: 'assistant', content: [], tool_calls: [{ id: 'call_1', name: 'echo', arguments: '{"text":"x"}', origin: 'responses' }] },
        { role: 'tool', tool_call_id: 'call_1', content: [textContent('seen'), { type: 'image', image_urls: ['data:image/png;base64,AAAA'] }] },
      ],
      tools: [{ name: 'echo', description: 'Echo.', parameters: { type: 'object', properties: {} } }],
      conversationId: 'responses-usage',
    });
    const [record] = server.requestsFor('responses-usage');

    expect(response.call.usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 50, cache_read_tokens: 600, reasoning_tokens: Math.ceil('Thought hard.'.length / 4) });
    // gpt-5: $1.25 input, $0.125 cached, $10 output per million.
    expect(response.call.cost).toBeCloseTo((400 * 1.25 + 600 * 0.125 + 50 * 10) / 1e6, 12);
    expect(record!.body.input[2]).toEqual({
      type: 'function_call_output',
      call_id: 'call_1',
      output: [{ type: 'input_text', text: 'seen' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }],
    });
    expect(record!.body.tools).toEqual([{ type: 'function', name: 'echo', description: 'Echo.', parameters: { type: 'object', properties: {} }, strict: false }]);
  });

  it('retries an error event in the stream, and a tampered reasoning item is refused by the API', async () => {
    server.setScript('responses-fault', [mock.text('recovered', { faults: [{ type: 'stream_error', status: 500 }] })]);
    const llm = mockLLM(server, { model: 'openai/gpt-5', apiMode: 'responses', stream: true });
    expect((await llm.complete({ messages: [{ role: 'user', content: [textContent('hi')] }], tools: [], conversationId: 'responses-fault' })).content).toBe('recovered');

    server.setScript('responses-tampered', [mock.text('x'), mock.text('never')]);
    const tampered = await mockLLM(server, { model: 'openai/gpt-5', apiMode: 'responses' })
      .complete({
        messages: [
          { role: 'user', content: [textContent('hi')] },
          { role: 'assistant', content: [textContent('x')], responses_reasoning_item: { id: 'rs_1', summary: [], encrypted_content: 'forged' } },
          { role: 'user', content: [textContent('again')] },
        ],
        tools: [],
        conversationId: 'responses-tampered',
      })
      .catch((e: unknown) => e);
    expect(tampered).toMatchObject({ details: { status: 400, retryable: false } });
  });
});
