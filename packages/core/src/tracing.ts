import { type Attributes, type Context, context, ProxyTracerProvider, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ActionEvent, EventInit } from './events.js';
import type { CompletionResponse, LanguageModel } from './language-model.js';

/**
 * OpenTelemetry spans of the loop, through `@opentelemetry/api` only: a no-op until the process
 * (or, for conversations on a supervisor, the worker thread: `workerImports`) registers a tracer
 * provider. The tree: `troupe.run` → `troupe.step` → `chat {model}` (the model call) and
 * `execute_tool {tool}` (each tool call). Every span carries the conversation id.
 *
 * Parents are tracked per conversation here rather than through the active context, so the tree
 * is right with any provider, with or without a context manager (a conversation runs one run and
 * one step at a time).
 */

export const TRACER_NAME = '@troupe/core';

/** The attribute names: OpenTelemetry's GenAI conventions where they exist, `troupe.*` for the rest. */
export const TRACE_ATTRIBUTES = {
  conversationId: 'troupe.conversation.id',
  runStatus: 'troupe.run.status',
  stepIteration: 'troupe.step.iteration',
  stepResult: 'troupe.step.result',
  operation: 'gen_ai.operation.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'troupe.llm.cache_read_tokens',
  reasoningTokens: 'troupe.llm.reasoning_tokens',
  costUsd: 'troupe.llm.cost_usd',
  usageId: 'troupe.llm.usage_id',
  toolName: 'gen_ai.tool.name',
  toolCallId: 'gen_ai.tool.call.id',
  toolOutcome: 'troupe.tool.outcome',
} as const;

const A = TRACE_ATTRIBUTES;
const runContexts = new Map<string, Context>();
const stepContexts = new Map<string, Context>();

const tracer = () => trace.getTracer(TRACER_NAME);

/** The API's no-op provider: what the global provider delegates to until one is registered. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

/** No tracer provider is registered, so every span would be a no-op: none is made (each model call would make three). */
function tracingOff(): boolean {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_PROVIDER;
}

/** Runs `work` in a new span under `parent`, unless tracing is off; `finish` adds what the result says. */
function inSpan<T>(name: string, parent: Context, attributes: Attributes, work: (spanContext: Context) => Promise<T>, finish: (span: Span, result: T) => void): Promise<T> {
  return tracingOff() ? work(parent) : inRecordedSpan(name, parent, attributes, work, finish);
}

/** Exceptions are recorded on the span and rethrown. */
async function inRecordedSpan<T>(name: string, parent: Context, attributes: Attributes, work: (spanContext: Context) => Promise<T>, finish: (span: Span, result: T) => void): Promise<T> {
  const span = tracer().startSpan(name, { attributes }, parent);
  const spanContext = trace.setSpan(parent, span);
  try {
    const result = await context.with(spanContext, () => work(spanContext));
    finish(span, result);
    return result;
  } catch (error) {
    // An interrupt ends a step early; it is not a failure.
    if (error instanceof Error && error.name === 'StepInterrupted') span.setAttribute(A.stepResult, 'interrupted');
    else {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    throw error;
  } finally {
    span.end();
  }
}

/** The span of one run, from `run()` to the status it ends in. */
export function traceRun<S extends string>(conversationId: string, run: () => Promise<S>): Promise<S> {
  return inSpan(
    'troupe.run',
    context.active(),
    { [A.conversationId]: conversationId },
    (runContext) => {
      runContexts.set(conversationId, runContext);
      return run().finally(() => runContexts.delete(conversationId));
    },
    (span, status) => {
      span.setAttribute(A.runStatus, status);
      if (status === 'error' || status === 'stuck') span.setStatus({ code: SpanStatusCode.ERROR, message: `The run ended ${status}.` });
    },
  );
}

/** The span of one step of a run (`iteration` counts from 1). */
export function traceStep<R extends string>(conversationId: string, iteration: number, step: () => Promise<R>): Promise<R> {
  return inSpan(
    'troupe.step',
    runContexts.get(conversationId) ?? context.active(),
    { [A.conversationId]: conversationId, [A.stepIteration]: iteration },
    (stepContext) => {
      stepContexts.set(conversationId, stepContext);
      return step().finally(() => stepContexts.delete(conversationId));
    },
    (span, result) => span.setAttribute(A.stepResult, result),
  );
}

const parentOf = (conversationId: string): Context => stepContexts.get(conversationId) ?? runContexts.get(conversationId) ?? context.active();

/** The span of one model call: model, tokens and cost. */
export function traceModelCall(conversationId: string, llm: Pick<LanguageModel, 'model' | 'usageId'>, call: () => Promise<CompletionResponse>): Promise<CompletionResponse> {
  return inSpan(
    `chat ${llm.model}`,
    parentOf(conversationId),
    { [A.conversationId]: conversationId, [A.operation]: 'chat', [A.requestModel]: llm.model, [A.usageId]: llm.usageId },
    call,
    (span, response) => {
      const { usage } = response.call;
      span.setAttributes({
        [A.responseModel]: response.call.model,
        [A.responseId]: response.id,
        [A.inputTokens]: usage.prompt_tokens,
        [A.outputTokens]: usage.completion_tokens,
        [A.cacheReadTokens]: usage.cache_read_tokens,
        [A.reasoningTokens]: usage.reasoning_tokens,
        [A.costUsd]: response.call.cost,
      });
    },
  );
}

/** The span of one tool call; its result says how it went (an error result marks the span failed). */
export function traceToolCall(conversationId: string, action: Pick<ActionEvent, 'tool_name' | 'tool_call_id'>, execute: () => Promise<EventInit | undefined>): Promise<EventInit | undefined> {
  return inSpan(
    `execute_tool ${action.tool_name}`,
    parentOf(conversationId),
    { [A.conversationId]: conversationId, [A.toolName]: action.tool_name, [A.toolCallId]: action.tool_call_id },
    execute,
    (span, result) => {
      if (result === undefined) return span.setAttribute(A.toolOutcome, 'interrupted');
      if (result.kind === 'AgentErrorEvent') {
        span.setAttribute(A.toolOutcome, 'error');
        return span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
      }
      const failed = result.kind === 'ObservationEvent' && result.observation.is_error;
      span.setAttribute(A.toolOutcome, failed ? 'error_result' : 'ok');
    },
  );
}
