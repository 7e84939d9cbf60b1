import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import { openEventSocket, snapshots, type TestServer, tempDir, userMessage, useTestServer } from '../helpers.js';
import { OhConversationStatsDump, type OhMetricsDump, OhMetricsSnapshotDump } from './openhands-state-models.js';

let llm: MockServer;
let server: TestServer;
useTestServer({}, (context) => {
  ({ llm, server } = context);
});

const USAGES = [
  { prompt_tokens: 120, completion_tokens: 12, cached_tokens: 20 },
  { prompt_tokens: 180, completion_tokens: 18 },
  { prompt_tokens: 240, completion_tokens: 24 },
];

describe('stats on the wire: OpenHands’ Metrics with one entry per model call', () => {
  it('ConversationInfo and the full_state after a run carry every call’s cost, latency and tokens, in the exact shape OpenHands dumps', async () => {
    const id = 'per-call-stats';
    llm.setScript(id, [
      mock.toolCall('think', { thought: 'First.' }, { usage: USAGES[0] }),
      mock.toolCall('think', { thought: 'Second.' }, { usage: USAGES[1] }),
      mock.finish('Done.', { usage: USAGES[2] }),
    ]);
    const created = await server.api('POST', '/api/conversations', {
      // A known model on the mock's URL: priced (costs) and with a published context window.
      agent: { kind: 'Agent', llm: { model: 'openai/gpt-4o', base_url: llm.url, api_key: 'test-key' }, tools: [] },
      workspace: { working_dir: tempDir() },
      conversation_id: id,
      autotitle: false,
    });
    expect(created.status).toBe(201);
    const ws = openEventSocket(server.url, id, 'resend_mode=all');
    await new Promise((resolve) => ws.socket.once('open', resolve));
    await server.api('POST', `/api/conversations/${id}/events`, userMessage('Think twice.', true));
    await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');

    const events = (await server.api('GET', `/api/conversations/${id}/events/search?limit=100`)).body.items as { llm_response_id?: string }[];
    const responseIds = [...new Set(events.flatMap((event) => (event.llm_response_id ? [event.llm_response_id] : [])))];
    expect(responseIds).toHaveLength(3);

    const expectCalls = (metrics: OhMetricsDump) => {
      expect(metrics.max_budget_per_task).toBeNull();
      expect(metrics.token_usages).toEqual(
        USAGES.map((usage, index) => ({
          model: 'openai/gpt-4o',
          prompt_tokens: usage.prompt_tokens,
          completion_tokens: usage.completion_tokens,
          cache_read_tokens: usage.cached_tokens ?? 0,
          cache_write_tokens: 0,
          reasoning_tokens: 0,
          context_window: 128_000,
          per_turn_token: usage.prompt_tokens + usage.completion_tokens,
          response_id: responseIds[index],
        })),
      );
      expect(metrics.response_latencies.map((entry) => entry.response_id)).toEqual(responseIds);
      expect(metrics.costs).toHaveLength(3);
      expect(metrics.costs.reduce((sum, entry) => sum + entry.cost, 0)).toBeCloseTo(metrics.accumulated_cost, 12);
    };

    const info = (await server.api('GET', `/api/conversations/${id}`)).body;
    expect(OhConversationStatsDump.safeParse(info.stats).error).toBeUndefined();
    expect(Object.keys(info.stats.usage_to_metrics)).toEqual(['agent']);
    expectCalls(info.stats.usage_to_metrics.agent);
    // `metrics`: the totals as a MetricsSnapshot (no lists).
    expect(OhMetricsSnapshotDump.safeParse(info.metrics).error).toBeUndefined();
    expect(info.metrics).toMatchObject({ model_name: 'default', accumulated_cost: info.stats.usage_to_metrics.agent.accumulated_cost, accumulated_token_usage: { prompt_tokens: 540, completion_tokens: 54 } });

    // Over the socket: the full_state sent when the run ended has the same lists.
    await expect.poll(() => snapshots(ws.frames).at(-1)?.value.stats.usage_to_metrics.agent?.token_usages.length ?? 0).toBe(3);
    for (const frame of snapshots(ws.frames)) expect(OhConversationStatsDump.safeParse(frame.value.stats).error).toBeUndefined();
    expectCalls(snapshots(ws.frames).at(-1)!.value.stats.usage_to_metrics.agent);
    expect(snapshots(ws.frames)[0]!.value.stats).toEqual({ usage_to_metrics: {} });
    ws.socket.close();
  });

  it('the oracle refuses a Metrics without its lists or with a field OpenHands does not have', () => {
    const usage = { model: 'm', prompt_tokens: 1, completion_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, context_window: 0, per_turn_token: 2, response_id: 'r' };
    const metrics = { model_name: 'm', accumulated_cost: 0, max_budget_per_task: null, accumulated_token_usage: { ...usage, response_id: '' }, costs: [], response_latencies: [{ model: 'm', latency: 0.1, response_id: 'r' }], token_usages: [usage] };
    expect(OhConversationStatsDump.safeParse({ usage_to_metrics: { agent: metrics } }).success).toBe(true);
    const { token_usages: _lists, ...totals } = metrics;
    expect(OhConversationStatsDump.safeParse({ usage_to_metrics: { agent: totals } }).success).toBe(false);
    expect(OhConversationStatsDump.safeParse({ usage_to_metrics: { agent: { ...metrics, latency_ms: 100 } } }).success).toBe(false);
    expect(OhConversationStatsDump.safeParse({ usage_to_metrics: { agent: { ...metrics, token_usages: [{ ...usage, per_turn_token: undefined }] } } }).success).toBe(false);
  });
});
