import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, Message, MessageCreateParamsNonStreaming, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mock, startMockServer, type MockServer } from '../src/testing/index.js';
// startMockServerProcess spawns the compiled CLI that sits next to its own module, so it comes from the build.
import { startMockServerProcess } from '@troupe/core/testing';

const EPHEMERAL = { type: 'ephemeral' } as const;
const TOOL: Tool = { name: 'read_file', description: 'Reads a file.', input_schema: { type: 'object', properties: { path: { type: 'string' } } } };
/** About 1,500 tokens: above the 1,024-token minimum on its own. */
const LONG_SYSTEM = 'You are a careful coding agent. '.repeat(190);
const MODEL = 'claude-test';

let server: MockServer;
let client: Anthropic;

beforeAll(async () => {
  server = await startMockServer();
  client = new Anthropic({ baseURL: server.anthropicUrl, apiKey: 'cache-key', maxRetries: 0 });
});

afterEach(() => server.reset());

afterAll(async () => {
  await server.close();
});

function as(conversationId: string) {
  return { headers: { 'x-troupe-conversation-id': conversationId } };
}

/** The messages with a breakpoint on the last block of the last message only, as a well-behaved client sends them. */
function withLastBreakpoint(messages: MessageParam[]): MessageParam[] {
  return messages.map((message, index): MessageParam => {
    const blocks: ContentBlockParam[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [...message.content];
    const role = message.role as 'user' | 'assistant';
    if (index !== messages.length - 1) return { role, content: blocks };
    const last = blocks.length - 1;
    return { role, content: blocks.map((block, blockIndex) => (blockIndex === last ? ({ ...block, cache_control: EPHEMERAL } as ContentBlockParam) : block)) };
  });
}

/** Runs a 3-step tool loop; `cached` places breakpoints on the tools, the system prompt and the last turn. */
async function threeSteps(conversationId: string, cached: boolean): Promise<Message[]> {
  server.setScript(conversationId, [mock.toolCall('read_file', { path: 'a.txt' }), mock.toolCall('read_file', { path: 'b.txt' }), mock.text('Both read.')]);
  const system: TextBlockParam[] = [{ type: 'text', text: LONG_SYSTEM, ...(cached ? { cache_control: EPHEMERAL } : {}) }];
  const tools: Tool[] = [{ ...TOOL, ...(cached ? { cache_control: EPHEMERAL } : {}) }];
  const history: MessageParam[] = [{ role: 'user', content: 'Read a.txt and b.txt.' }];
  const replies: Message[] = [];
  for (let step = 0; step < 3; step++) {
    const params: MessageCreateParamsNonStreaming = { model: MODEL, max_tokens: 1024, system, tools, messages: cached ? withLastBreakpoint(history) : history };
    const reply = await client.messages.create(params, as(conversationId));
    replies.push(reply);
    history.push({ role: 'assistant', content: reply.content as ContentBlockParam[] });
    const toolUse = reply.content.find((block) => block.type === 'tool_use');
    if (toolUse) history.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: `contents of step ${step}` }] });
  }
  return replies;
}

describe('prompt cache accounting', () => {
  it('reads the previous step from the cache in a 3-step conversation with breakpoints', async () => {
    const replies = await threeSteps('cached', true);
    const records = server.requestsFor('cached');
    const lastPrefix = records.map((record) => record.anthropic!.cacheBreakpoints.at(-1)!.prefixTokens);

    expect(records[0]!.anthropic!.cacheBreakpoints.map(({ location, index, blockIndex }) => [location, index, blockIndex])).toEqual([
      ['tools', 0, undefined],
      ['system', 0, undefined],
      ['messages', 0, 0],
    ]);
    expect(replies.map((reply) => reply.usage.cache_read_input_tokens)).toEqual([0, lastPrefix[0], lastPrefix[1]]);
    expect(replies.map((reply) => reply.usage.cache_creation_input_tokens)).toEqual([lastPrefix[0], lastPrefix[1]! - lastPrefix[0]!, lastPrefix[2]! - lastPrefix[1]!]);
    expect(replies.every((reply) => reply.usage.input_tokens === 0)).toBe(true);
    expect(records[2]!.anthropic!.cacheReadUpTo).toEqual({ location: 'messages', index: 2, blockIndex: 0 });
    const third = replies[2]!.usage;
    expect(third.cache_read_input_tokens! / records[2]!.anthropic!.promptTokens).toBeGreaterThan(0.9);
    expect(third.cache_creation).toEqual({ ephemeral_5m_input_tokens: third.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 });
  });

  it('sums the conversation so a bench can compare full-price input with and without caching', async () => {
    await threeSteps('with-cache', true);
    await threeSteps('without-cache', false);
    const withCache = server.usage('with-cache');
    const withoutCache = server.usage('without-cache');

    expect(withoutCache).toMatchObject({ requests: 3, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    expect(withoutCache.inputTokens).toBe(withoutCache.promptTokens);
    expect(withCache.inputTokens).toBe(0);
    expect(withCache.cacheReadInputTokens).toBeGreaterThan(withCache.promptTokens / 2);
    expect(server.usage()).toMatchObject({ requests: 6, promptTokens: withCache.promptTokens + withoutCache.promptTokens });
  });

  it('counts tokens as ceil(JSON length / 4) per block and caches nothing below the minimum', async () => {
    const params: MessageCreateParamsNonStreaming = { model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi', cache_control: EPHEMERAL }] }] };
    const first = await client.messages.create(params);
    const second = await client.messages.create(params);

    expect(first.usage.input_tokens).toBe(Math.ceil(JSON.stringify({ type: 'text', text: 'Hi' }).length / 4));
    expect(second.usage).toMatchObject({ input_tokens: first.usage.input_tokens, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 });
  });

  it('keeps tools and system cached when thinking changes, and separates API keys', async () => {
    const params: MessageCreateParamsNonStreaming = {
      model: MODEL,
      max_tokens: 4096,
      system: [{ type: 'text', text: LONG_SYSTEM, cache_control: EPHEMERAL }],
      messages: withLastBreakpoint([{ role: 'user', content: `Question. ${'detail '.repeat(800)}` }]),
    };
    await client.messages.create(params);
    const thinking = await client.messages.create({ ...params, thinking: { type: 'enabled', budget_tokens: 1024 } });
    const otherKey = await new Anthropic({ baseURL: server.anthropicUrl, apiKey: 'other-key', maxRetries: 0 }).messages.create(params);
    const [firstRecord] = server.requests;

    expect(thinking.usage.cache_read_input_tokens).toBe(firstRecord!.anthropic!.cacheBreakpoints[0]!.prefixTokens);
    expect(thinking.usage.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(otherKey.usage.cache_read_input_tokens).toBe(0);
  });

  it('looks back 20 blocks from a breakpoint, no further', async () => {
    const opening: MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: `Start. ${'context '.repeat(700)}`, cache_control: EPHEMERAL }] }];
    await client.messages.create({ model: MODEL, max_tokens: 100, messages: opening });
    const later = (count: number): MessageParam[] => [
      { role: 'user', content: [{ type: 'text', text: `Start. ${'context '.repeat(700)}` }] },
      { role: 'assistant', content: 'Noted.' },
      withLastBreakpoint([{ role: 'user', content: Array.from({ length: count }, (_, index) => ({ type: 'text' as const, text: `part ${index}` })) }])[0]!,
    ];
    // The farther one first: the nearer one's own breakpoint would otherwise be within its reach.
    const far = await client.messages.create({ model: MODEL, max_tokens: 100, messages: later(20) });
    const near = await client.messages.create({ model: MODEL, max_tokens: 100, messages: later(19) });

    expect(near.usage.cache_read_input_tokens).toBe(server.requests[0]!.anthropic!.promptTokens);
    expect(far.usage.cache_read_input_tokens).toBe(0);
  });

  it('places the top-level cache_control on the last block and counts 1h writes apart', async () => {
    const messages: MessageParam[] = [{ role: 'user', content: `Long. ${'text '.repeat(1000)}` }];
    const reply = await client.messages.create({ model: MODEL, max_tokens: 100, messages, cache_control: { type: 'ephemeral', ttl: '1h' } } as MessageCreateParamsNonStreaming);
    const [record] = server.requests;

    expect(record!.anthropic!.cacheBreakpoints).toEqual([{ location: 'messages', index: 0, blockIndex: 0, ttl: '1h', prefixTokens: record!.anthropic!.promptTokens, automatic: true }]);
    expect(reply.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: record!.anthropic!.promptTokens });
  });

  it('reports the usage of a mock in its own process through the admin endpoint', async () => {
    const child = await startMockServerProcess({ scripts: { p: [mock.text('from the child')] } });
    try {
      const childClient = new Anthropic({ baseURL: child.anthropicUrl, apiKey: 'k', maxRetries: 0 });
      const reply = await childClient.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] }, as('p'));
      const report = await child.usage();

      expect(reply.content).toEqual([{ type: 'text', text: 'from the child', citations: null }]);
      expect(report.conversations.p).toMatchObject({ requests: 1, inputTokens: reply.usage.input_tokens, outputTokens: reply.usage.output_tokens });
      expect(report.total.requests).toBe(1);
    } finally {
      await child.close();
    }
  });
});
