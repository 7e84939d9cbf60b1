import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AgentConfigSchema,
  type Condensation,
  condenserConversationId,
  type ConversationRuntime,
  defineTool,
  openPersistedRuntime,
  summaryEventId,
  viewOf,
} from '../src/index.js';
import { mock, type MockServer, startMockServer } from '../src/testing/index.js';
import { mockLLM, tempDir } from './helpers.js';

/**
 * A 400-step task outgrows the model: past `maxSize` the condenser summarizes the middle of the
 * history, and in the second half the model answers context_length_exceeded once the request
 * passes a set size; the agent condenses and retries. It runs to `finished`, every condensation is
 * in its log, and after a restart from disk the model is sent the same history.
 */

const STEPS = 400;
/** Prompt tokens (the mock's count) beyond which the model refuses, from step 200 on. */
const CONTEXT_WINDOW = 6_000;
const ID = 'long-task';

const PADDING = 'x'.repeat(300);
const echo = defineTool({
  name: 'echo',
  description: 'Echoes text back, padded.',
  parameters: z.object({ text: z.string() }),
  execute: ({ text }) => `echo: ${text} ${PADDING}`,
});

let server: MockServer;

beforeAll(async () => {
  // The turn is the number of replies served: a condensed history has fewer assistant messages.
  server = await startMockServer({ turnBy: 'replies' });
  server.setScript(ID, [
    ...Array.from({ length: STEPS }, (_, step) => mock.toolCall('echo', { text: `step ${step}` }, step >= STEPS / 2 ? { contextWindow: CONTEXT_WINDOW } : {})),
    mock.finish('All 400 steps done.'),
  ]);
  server.setScript(condenserConversationId(ID), Array.from({ length: 100 }, (_, n) => mock.text(`Summary ${n + 1}: the agent echoed steps in order.`)));
});

afterAll(() => server.close());

async function open(conversationDir: string): Promise<ConversationRuntime> {
  const { runtime } = await openPersistedRuntime({
    id: ID,
    conversationDir,
    agent: AgentConfigSchema.parse({ llm: { model: 'openai/mock-model' }, tools: [{ name: 'echo' }] }),
    llm: mockLLM(server),
    tools: [echo],
    workspace: tempDir(),
    stuckDetection: false,
  });
  return runtime;
}

describe('a long task', () => {
  it('runs 400 steps to finished through condensations, and resumes with the same view', { timeout: 180_000 }, async () => {
    const dir = tempDir();
    const runtime = await open(join(dir, ID));
    await runtime.sendMessage('Echo step 0 to step 399, one call each.');
    expect(await runtime.run()).toBe('finished');

    const events = runtime.events;
    const actions = events.filter((event) => event.kind === 'ActionEvent');
    expect(actions).toHaveLength(STEPS + 1);
    const condensations = events.filter((event): event is Condensation => event.kind === 'Condensation');
    expect(condensations.length).toBeGreaterThan(4);
    // The first half condenses past maxSize (no request); the second also when the model refuses (a request first).
    const firstRequest = events.findIndex((event) => event.kind === 'CondensationRequest');
    expect(firstRequest).toBeGreaterThan(events.findIndex((event) => event.kind === 'Condensation'));
    expect(condensations.every((condensation) => condensation.summary?.startsWith('Summary '))).toBe(true);

    // Nothing is deleted: every forgotten id is an event of the log or an earlier summary.
    const known = new Set([...events.map((event) => event.id), ...condensations.map(summaryEventId)]);
    for (const condensation of condensations) for (const id of condensation.forgotten_event_ids ?? []) expect(known.has(id)).toBe(true);

    // The model refused requests past its window (second half only), and each refused step went through once condensed.
    const requests = server.requestsFor(ID);
    const refused = requests.filter((request) => request.fault === 'context_length_exceeded');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((request) => request.turn >= STEPS / 2)).toBe(true);
    expect(requests.filter((request) => request.outcome === 'replied')).toHaveLength(STEPS + 1);
    // The view stays bounded: no request carried more than maxSize events' worth of messages.
    expect(Math.max(...requests.map((request) => (request.body as { messages: unknown[] }).messages.length))).toBeLessThanOrEqual(121);
    // The condenser's calls are tracked under their own usage id.
    expect(runtime.stats.usage_to_metrics.condenser?.token_usages).toHaveLength(condensations.length);

    // Restart: a copy of the stored conversation, opened anew, sends the model exactly the same history.
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    const viewBefore = viewOf(events).events.map((event) => event.id);
    await runtime.sendMessage('Anything else?');
    await runtime.run();
    await runtime.close();
    const continued = server.requestsFor(ID).at(-1)!.body as { messages: unknown[] };

    const resumed = await open(join(copy, ID));
    expect(viewOf(resumed.events).events.map((event) => event.id)).toEqual(viewBefore);
    await resumed.sendMessage('Anything else?');
    await resumed.run();
    await resumed.close();
    const afterRestart = server.requestsFor(ID).at(-1)!.body as { messages: unknown[] };
    expect(afterRestart.messages).toEqual(continued.messages);
  });
});
