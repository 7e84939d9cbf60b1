import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentConfigSchema, defineTool, loadConversation, openPersistedRuntime } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { tempDir } from './helpers.js';

/** The frozen conversation written by schema version 2 before the budget field was stored (never regenerate it). */
const FROZEN_V2 = new URL('./fixtures/conversation-v2/', import.meta.url).pathname;

const echo = defineTool({ name: 'echo', description: 'Echoes text back.', parameters: z.object({ text: z.string() }), execute: ({ text }) => `echo: ${text}` });

function copyOfFrozen(): string {
  const dir = tempDir();
  cpSync(FROZEN_V2, dir, { recursive: true });
  return join(dir, 'frozen-v2');
}

describe('stats stored by an earlier Troupe', () => {
  it('the frozen version-2 state (no max_budget_per_task) loads with its per-call lists and a null budget', async () => {
    const loaded = await loadConversation(copyOfFrozen());
    const metrics = loaded!.snapshot.stats.usage_to_metrics.agent!;
    expect(metrics.max_budget_per_task).toBeNull();
    expect(metrics.token_usages.map((usage) => usage.response_id)).toEqual(['chatcmpl-mock-1', 'chatcmpl-mock-2', 'chatcmpl-mock-3']);
    expect(metrics.response_latencies).toHaveLength(3);
    expect(metrics.costs).toHaveLength(3);
  });

  it('a state whose metrics hold totals only loads with empty lists, and the next call is their first entry', async () => {
    const conversationDir = copyOfFrozen();
    const file = join(conversationDir, 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8')) as { stats: { usage_to_metrics: Record<string, Record<string, unknown>> } };
    const { costs: _c, response_latencies: _l, token_usages: _t, ...totals } = state.stats.usage_to_metrics.agent!;
    state.stats.usage_to_metrics.agent = totals;
    writeFileSync(file, JSON.stringify(state));

    const { runtime } = await openPersistedRuntime({
      id: 'frozen-v2',
      conversationDir,
      agent: AgentConfigSchema.parse({ llm: { model: 'openai/gpt-4o' }, tools: [{ name: 'echo' }] }),
      llm: new ScriptedLLM([mock.finish('unused'), mock.finish('unused'), mock.finish('unused'), mock.text('Hello again.', { usage: { prompt_tokens: 500, completion_tokens: 5 } })]),
      tools: [echo],
      workspace: tempDir(),
    });
    const before = runtime.stats.usage_to_metrics.agent!;
    expect(before).toMatchObject({ costs: [], response_latencies: [], token_usages: [], max_budget_per_task: null });
    expect(before.accumulated_token_usage.prompt_tokens).toBe(450);

    await runtime.sendMessage('Say hello again.');
    expect(await runtime.run()).toBe('finished');
    const after = runtime.stats.usage_to_metrics.agent!;
    expect(after.response_latencies).toHaveLength(1);
    expect(after.token_usages).toEqual([expect.objectContaining({ prompt_tokens: 500, completion_tokens: 5, per_turn_token: 505 })]);
    expect(after.accumulated_token_usage.prompt_tokens).toBe(950);
    await runtime.close();
  });
});
