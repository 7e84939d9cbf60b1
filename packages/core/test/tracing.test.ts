import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_ATTRIBUTES as A } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((started) => (server = started));

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});
afterAll(async () => {
  trace.disable();
  await provider.shutdown();
});

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const childrenOf = (spans: ReadableSpan[], parent: ReadableSpan) => spans.filter((span) => parentOf(span) === parent.spanContext().spanId);

describe('OpenTelemetry spans', () => {
  it('trace a run, each step, each model call (model, tokens, cost) and each tool call, with the conversation id', async () => {
    exporter.reset();
    const llm = mockLLM(server, { inputCostPerToken: 1e-6, outputCostPerToken: 2e-6 });
    const { runtime } = createConversation(llm, [echoTool()], { id: 'traced-1' });
    server.setScript('traced-1', [mock.toolCalls([{ name: 'echo', arguments: { text: 'a' } }, { name: 'echo', arguments: { text: 'b' } }]), mock.toolCall('nope', {}), mock.finish('done')]);
    await runtime.sendMessage('Echo twice');
    expect(await runtime.run()).toBe('finished');
    await runtime.close();

    const spans = exporter.getFinishedSpans();
    for (const span of spans) expect(span.attributes[A.conversationId]).toBe('traced-1');
    const [run, ...others] = spans.filter((span) => span.name === 'troupe.run');
    expect(others).toHaveLength(0);
    expect(parentOf(run!)).toBeUndefined();
    expect(run!.attributes[A.runStatus]).toBe('finished');

    const steps = childrenOf(spans, run!);
    expect(steps.map((span) => [span.name, span.attributes[A.stepIteration], span.attributes[A.stepResult]])).toEqual([
      ['troupe.step', 1, 'acted'],
      ['troupe.step', 2, 'acted'],
      ['troupe.step', 3, 'finished'],
    ]);
    const [first, second, third] = steps.map((step) => childrenOf(spans, step).map((span) => span.name));
    expect(first).toEqual(['chat openai/mock-model', 'execute_tool echo', 'execute_tool echo']);
    // An unknown tool is not executed: the step has its model call only.
    expect(second).toEqual(['chat openai/mock-model']);
    expect(third).toEqual(['chat openai/mock-model', 'execute_tool finish']);

    const calls = spans.filter((span) => span.name.startsWith('chat '));
    const usage = runtime.stats.usage_to_metrics.default ?? Object.values(runtime.stats.usage_to_metrics)[0]!;
    expect(calls.reduce((sum, span) => sum + Number(span.attributes[A.inputTokens]), 0)).toBe(usage.accumulated_token_usage.prompt_tokens);
    expect(calls.reduce((sum, span) => sum + Number(span.attributes[A.outputTokens]), 0)).toBe(usage.accumulated_token_usage.completion_tokens);
    expect(calls.reduce((sum, span) => sum + Number(span.attributes[A.costUsd]), 0)).toBeCloseTo(usage.accumulated_cost, 12);
    expect(calls[0]!.attributes).toMatchObject({ [A.requestModel]: 'openai/mock-model', [A.operation]: 'chat', [A.usageId]: llm.usageId });
    expect(typeof calls[0]!.attributes[A.responseId]).toBe('string');

    const tools = spans.filter((span) => span.name === 'execute_tool echo');
    expect(tools.map((span) => span.attributes[A.toolOutcome])).toEqual(['ok', 'ok']);
    expect(new Set(tools.map((span) => span.attributes[A.toolCallId])).size).toBe(2);
  });

  it('marks a failed model call and the run that ended in error', async () => {
    exporter.reset();
    const { runtime } = createConversation(mockLLM(server, { maxRetries: 0 }), [], { id: 'traced-2' });
    server.setScript('traced-2', [{ ...mock.finish('never'), faults: [{ type: 'http_error', status: 400 }] }]);
    await runtime.sendMessage('Fail');
    expect(await runtime.run()).toBe('error');
    await runtime.close();
    const spans = exporter.getFinishedSpans();
    const call = spans.find((span) => span.name.startsWith('chat '))!;
    expect(call.status.code).toBe(2);
    expect(call.events.some((event) => event.name === 'exception')).toBe(true);
    expect(spans.find((span) => span.name === 'troupe.run')!.attributes[A.runStatus]).toBe('error');
  });
});
