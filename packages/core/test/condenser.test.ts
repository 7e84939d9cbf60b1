import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentConfigSchema, ConfigError, ConversationStateError, defineTool, type Message } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { createConversation } from './helpers.js';

/** The condenser at work in the loop: forced, failing, off, and what it costs. */

const echo = defineTool({ name: 'echo', description: 'Echoes.', parameters: z.object({ text: z.string() }), execute: ({ text }) => `echo: ${text}` });
const bigEcho = defineTool({ name: 'echo', description: 'Echoes, padded.', parameters: z.object({ text: z.string() }), execute: ({ text }) => `echo: ${text} ${'x'.repeat(1_000)}` });
const steps = (count: number, extra = {}) => Array.from({ length: count }, (_, step) => mock.toolCall('echo', { text: `step ${step}` }, extra));
const agent = (condenser: unknown) => AgentConfigSchema.parse({ llm: { model: 'openai/mock-model' }, tools: [{ name: 'echo' }], condenser });
const texts = (messages: Message[]) => messages.map((message) => message.content.map((part) => (part.type === 'text' ? part.text : '')).join(''));

describe('the condenser', () => {
  it('condenses past maxSize with its own model, counted under that model\'s usage id', async () => {
    const llm = new ScriptedLLM([...steps(12), mock.finish('done')], { turnBy: 'replies' });
    const summarizer = new ScriptedLLM([mock.text('SUMMARY-A', { usage: { prompt_tokens: 70, completion_tokens: 5 } })], { usageId: 'ignored', turnBy: 'replies' });
    const { runtime } = createConversation(llm, [echo], { agent: agent({ maxSize: 12, keepFirst: 2 }), condenserLlm: summarizer, stuckDetection: false });
    await runtime.sendMessage('Go.');
    expect(await runtime.run()).toBe('finished');
    expect(runtime.events.filter((event) => event.kind === 'Condensation').length).toBeGreaterThan(0);
    // The summary replaces the middle in what the agent's model is sent next.
    const afterCondensation = llm.requests.find((messages) => texts(messages).includes('SUMMARY-A'))!;
    expect(afterCondensation.length).toBeLessThanOrEqual(12);
    expect(texts(afterCondensation).slice(0, 2)).toEqual([expect.stringContaining('software engineering agent'), 'Go.']);
    expect(runtime.stats.usage_to_metrics.ignored?.accumulated_token_usage.prompt_tokens).toBeGreaterThanOrEqual(70);
    expect(Object.keys(runtime.stats.usage_to_metrics).sort()).toEqual(['agent', 'ignored']);
  });

  it('records the default condenser (the agent\'s model) under "condenser"', async () => {
    const llm = new ScriptedLLM([...steps(8), mock.finish('done')], { turnBy: 'replies', fallback: { type: 'text', text: 'summary' } });
    const { runtime } = createConversation(llm, [echo], { agent: agent({ maxSize: 12, keepFirst: 2 }), stuckDetection: false });
    await runtime.sendMessage('Go.');
    await runtime.run();
    expect(runtime.stats.usage_to_metrics.condenser?.response_latencies.length).toBeGreaterThan(0);
  });

  it('condense() condenses an idle conversation now; the next request carries the summary', async () => {
    const llm = new ScriptedLLM([...steps(3), mock.finish('done'), mock.text('after')], { turnBy: 'replies' });
    const summarizer = new ScriptedLLM([mock.text('FORCED SUMMARY')]);
    const { runtime } = createConversation(llm, [echo], { agent: agent({}), condenserLlm: summarizer, stuckDetection: false });
    await runtime.sendMessage('Go.');
    await runtime.run();
    await runtime.condense();
    const kinds = runtime.events.map((event) => event.kind);
    expect(kinds.slice(-2)).toEqual(['CondensationRequest', 'Condensation']);
    await runtime.sendMessage('More?');
    await runtime.run();
    expect(texts(llm.requests.at(-1)!)).toContain('FORCED SUMMARY');
  });

  it('condense() is refused when the agent has no condenser, or when there is nothing to condense', async () => {
    const off = createConversation(new ScriptedLLM([]), [echo], { agent: agent(null) });
    await expect(off.runtime.condense()).rejects.toBeInstanceOf(ConfigError);
    await expect(off.runtime.condense()).rejects.toThrow(/no condenser/);
    const empty = createConversation(new ScriptedLLM([]), [echo], { agent: agent({}) });
    await expect(empty.runtime.condense()).rejects.toBeInstanceOf(ConversationStateError);
    expect(empty.runtime.events.some((event) => event.kind === 'CondensationRequest')).toBe(false);
  });

  it('a summary that fails is reported and the run goes on with the whole history', async () => {
    const llm = new ScriptedLLM([...steps(8), mock.finish('done')], { turnBy: 'replies' });
    const failing = new ScriptedLLM([mock.text('never', { faults: Array.from({ length: 20 }, () => ({ type: 'http_error' as const, status: 500 })) })]);
    const { runtime } = createConversation(llm, [echo], { agent: agent({ maxSize: 12, keepFirst: 2 }), condenserLlm: failing, stuckDetection: false });
    await runtime.sendMessage('Go.');
    expect(await runtime.run()).toBe('finished');
    const failure = runtime.events.find((event) => event.kind === 'ConversationErrorEvent');
    expect(failure).toMatchObject({ code: 'CondensationFailed' });
    expect(runtime.events.some((event) => event.kind === 'Condensation')).toBe(false);
  });

  it('with condenser: null the history is never condensed, and a prompt too long ends the run with the error', async () => {
    const llm = new ScriptedLLM([...steps(6), ...steps(1, { contextWindow: 200 })], { turnBy: 'replies' });
    const { runtime } = createConversation(llm, [echo], { agent: agent(null), stuckDetection: false });
    await runtime.sendMessage('Go.');
    expect(await runtime.run()).toBe('error');
    expect(runtime.snapshot().lastError?.code).toBe('ContextLengthExceededError');
    expect(runtime.events.some((event) => event.kind === 'Condensation' || event.kind === 'CondensationRequest')).toBe(false);
  });

  it('a prompt too long is condensed and the step tried once more', async () => {
    const llm = new ScriptedLLM([...steps(6), mock.finish('done', { contextWindow: 1_500 })], { turnBy: 'replies' });
    const summarizer = new ScriptedLLM([mock.text('short')]);
    const { runtime } = createConversation(llm, [bigEcho], { agent: agent({}), condenserLlm: summarizer, stuckDetection: false });
    await runtime.sendMessage('Go.');
    expect(await runtime.run()).toBe('finished');
    const kinds = runtime.events.map((event) => event.kind);
    expect(kinds.indexOf('CondensationRequest')).toBeGreaterThan(0);
    expect(kinds.indexOf('Condensation')).toBe(kinds.indexOf('CondensationRequest') + 1);
  });
});
