import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AgentConfigSchema, defineTool, openPersistedRuntime } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { tempDir } from './helpers.js';

/**
 * `fixtures/conversation-v1/` is a conversation directory written by schema version 1 and frozen.
 * Every later version must still load and continue it; never regenerate it.
 */
const FROZEN = new URL('./fixtures/conversation-v1/', import.meta.url).pathname;

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
});
