import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentConfigSchema, defineTool, loadConversation, openPersistedRuntime } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { tempDir } from './helpers.js';

/**
 * `fixtures/conversation-v<n>/` is a conversation directory written by schema version n and frozen.
 * Every later version must still load and continue it (migrated on read); never regenerate one.
 */
const FROZEN = new URL('./fixtures/conversation-v1/', import.meta.url).pathname;
const FROZEN_V2 = new URL('./fixtures/conversation-v2/', import.meta.url).pathname;

describe('schema evolution', () => {
  it('loads and continues the frozen version-1 conversation', async () => {
    const dir = tempDir();
    cpSync(FROZEN, dir, { recursive: true });
    const echo = defineTool({ name: 'echo', description: 'Echoes text back.', parameters: z.object({ text: z.string() }), execute: ({ text }) => `echo: ${text}` });
    const { runtime, resumed } = await openPersistedRuntime({
      id: 'frozen-v1',
      conversationDir: join(dir, 'frozen-v1'),
      agent: AgentConfigSchema.parse({ llm: { model: 'openai/gpt-4o' }, tools: [{ name: 'echo' }] }),
      llm: new ScriptedLLM([mock.finish('unused'), mock.finish('unused'), mock.text('Hello again.')]),
      tools: [echo],
      workspace: dir,
    });
    expect(resumed).toBe(true);
    expect(runtime.status).toBe('finished');
    expect(runtime.events.map((e) => e.kind)).toEqual([
      'SystemPromptEvent',
      'MessageEvent',
      'ConversationStateUpdateEvent',
      'ActionEvent',
      'ObservationEvent',
      'ActionEvent',
      'ObservationEvent',
      'ConversationStateUpdateEvent',
    ]);
    expect(runtime.stats.usage_to_metrics.agent?.accumulated_token_usage.prompt_tokens).toBe(250);
    await runtime.sendMessage('Say hello again.');
    expect(await runtime.run()).toBe('finished');
    expect(runtime.events.length).toBeGreaterThan(8);
    await runtime.close();
  });

  it('loads and continues the frozen version-2 conversation (OpenHands kinds, cost times in epoch seconds)', async () => {
    const dir = tempDir();
    cpSync(FROZEN_V2, dir, { recursive: true });
    const echo = defineTool({ name: 'echo', description: 'Echoes text back.', parameters: z.object({ text: z.string() }), execute: ({ text }) => `echo: ${text}` });
    const { runtime, resumed } = await openPersistedRuntime({
      id: 'frozen-v2',
      conversationDir: join(dir, 'frozen-v2'),
      agent: AgentConfigSchema.parse({ llm: { model: 'openai/gpt-4o' }, tools: [{ name: 'echo' }] }),
      llm: new ScriptedLLM([mock.finish('unused'), mock.finish('unused'), mock.finish('unused'), mock.text('Hello again.')]),
      tools: [echo],
      workspace: dir,
    });
    expect(resumed).toBe(true);
    expect(runtime.status).toBe('finished');
    const nested = runtime.events.flatMap((event) => (event.kind === 'ActionEvent' ? [event.action?.kind] : event.kind === 'ObservationEvent' ? [event.observation.kind] : []));
    expect(nested).toEqual(['ThinkAction', 'ThinkObservation', 'MCPToolAction', 'MCPToolObservation', 'FinishAction', 'FinishObservation']);
    const metrics = runtime.stats.usage_to_metrics.agent!;
    expect(metrics.costs.map((cost) => typeof cost.timestamp)).toEqual(['number', 'number', 'number']);
    expect(metrics.accumulated_token_usage).toMatchObject({ model: 'openai/gpt-4o', prompt_tokens: 450 });
    await runtime.sendMessage('Say hello again.');
    expect(await runtime.run()).toBe('finished');
    await runtime.close();
  });

  it('a version-1 conversation is read in version 2’s shape', async () => {
    const dir = tempDir();
    cpSync(FROZEN, dir, { recursive: true });
    const loaded = await loadConversation(join(dir, 'frozen-v1'));
    const prompt = loaded!.events[0]!;
    expect(prompt.kind === 'SystemPromptEvent' && prompt.tools.map((tool) => tool.kind)).toEqual(['MCPToolDefinition', 'FinishTool', 'ThinkTool']);
    expect(loaded!.events[3]).toMatchObject({ action: { kind: 'MCPToolAction', data: { text: 'hello' } }, tool_call: { id: 'call_0_0', name: 'echo', origin: 'completion' } });
    expect(loaded!.events[4]).toMatchObject({ observation: { kind: 'MCPToolObservation', tool_name: 'echo' } });
    expect(loaded!.events[5]).toMatchObject({ action: { kind: 'FinishAction', message: 'Echoed hello.' } });
    expect(loaded!.snapshot.stats.usage_to_metrics.agent?.token_usages[0]).toMatchObject({ model: 'openai/gpt-4o', per_turn_token: 110, context_window: 0 });
  });
});
