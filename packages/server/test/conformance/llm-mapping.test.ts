import { describe, expect, it } from 'vitest';
import { LLMConfigSchema } from '@troupe/core';
import { llmFromWire, llmToWire, OPENHANDS_LLM_FIELDS } from '../../src/llm-wire.js';
import { openHandsLLM } from './openhands-requests.js';

const coreHas = (field: string) => field in LLMConfigSchema.shape;

/** A value for each mapped field, in OpenHands' units. */
const SAMPLE: Record<string, unknown> = {
  model: 'openai/m',
  api_key: 'k',
  base_url: 'http://127.0.0.1:1/v1',
  usage_id: 'u',
  temperature: 0.5,
  max_output_tokens: 10,
  timeout: 2.5,
  num_retries: 2,
  retry_min_wait: 1,
  retry_max_wait: 4,
  stream: true,
  input_cost_per_token: 0.1,
  output_cost_per_token: 0.2,
  max_connections: 3,
  cache_read_cost_per_token: 0.05,
  top_p: 0.9,
  top_k: 40,
  seed: 7,
  extra_headers: { 'x-gateway': 'g' },
  reasoning_effort: 'low',
  reasoning_summary: 'auto',
  extended_thinking_budget: 2000,
};

/** The model each sample is sent with: OpenHands applies these two only to a model that takes them. */
const MODEL_FOR: Record<string, string> = { reasoning_effort: 'openai/o3-mini', extended_thinking_budget: 'anthropic/claude-sonnet-4-5' };

describe('the OpenHands LLM mapping table', () => {
  it('has a sample for every field', () => {
    expect(Object.keys(SAMPLE).sort()).toEqual(Object.keys(OPENHANDS_LLM_FIELDS).sort());
  });

  it('maps each field core has (with its unit) and keeps or refuses each one core lacks, so it becomes live with core', () => {
    for (const [name, field] of Object.entries(OPENHANDS_LLM_FIELDS)) {
      const result = llmFromWire({ model: MODEL_FOR[name] ?? 'openai/m', [name]: SAMPLE[name] });
      if (coreHas(field.core)) {
        expect(result.options[field.core], name).toEqual(field.toCore ? field.toCore(SAMPLE[name]) : SAMPLE[name]);
        if (!(name in MODEL_FOR)) expect(result.stored, name).not.toHaveProperty(name);
      } else if (field.untilCoreHasIt === 'refuse') {
        expect(result.refused.map((entry) => entry.field), name).toEqual([name]);
      } else {
        expect(result.stored[name], name).toEqual(SAMPLE[name]);
        expect(result.notApplied.map((entry) => entry.field), name).toEqual([`agent.llm.${name}`]);
      }
    }
  });

  it('applies reasoning_effort and the thinking budget as OpenHands does: only to a model that takes them, the budget below the output limit', () => {
    const defaults = { reasoning_effort: 'high', extended_thinking_budget: 200_000 };
    const plain = llmFromWire({ model: 'openai/mock-model', ...defaults });
    expect(plain.options).not.toHaveProperty('reasoningEffort');
    expect(plain.options).not.toHaveProperty('extendedThinkingBudget');
    expect(plain.notApplied.map((entry) => entry.field)).toEqual(['agent.llm.reasoning_effort', 'agent.llm.extended_thinking_budget']);
    expect(llmToWire(LLMConfigSchema.parse(plain.options), plain.stored)).toMatchObject(defaults);
    const claude = llmFromWire({ model: 'anthropic/claude-sonnet-4-5', ...defaults, max_output_tokens: 32_000 });
    expect(claude.options).toMatchObject({ extendedThinkingBudget: 31_999 });
    expect(claude.options).not.toHaveProperty('reasoningEffort');
    expect(claude.notApplied.map((entry) => entry.field)).toEqual(['agent.llm.reasoning_effort']);
    const reasoner = llmFromWire({ model: 'openai/gpt-5', ...defaults });
    expect(reasoner.options).toMatchObject({ reasoningEffort: 'high' });
    expect(reasoner.notApplied.map((entry) => entry.field)).toEqual(['agent.llm.extended_thinking_budget']);
    expect(llmFromWire({ model: 'openai/gpt-5', reasoning_effort: 'xhigh' }).notApplied.map((entry) => entry.field)).toEqual(['agent.llm.reasoning_effort']);
  });

  it('reads seconds as milliseconds and writes them back as seconds', () => {
    const { options } = llmFromWire({ model: 'openai/m', timeout: 300, retry_min_wait: 8, retry_max_wait: 64, num_retries: 5 });
    expect(options).toMatchObject({ timeoutMs: 300_000, retryMinDelayMs: 8_000, retryMaxDelayMs: 64_000, maxRetries: 5 });
    const config = LLMConfigSchema.parse(options);
    expect(llmToWire(config)).toMatchObject({ timeout: 300, retry_min_wait: 8, retry_max_wait: 64, num_retries: 5, temperature: null });
    expect(llmToWire(config)).not.toHaveProperty('api_key');
  });

  it('treats null as unset and the client defaults as inert or reported, never dropped', () => {
    const result = llmFromWire(openHandsLLM('http://127.0.0.1:1/v1'));
    expect(result.refused).toEqual([]);
    expect(result.options).not.toHaveProperty('temperature');
    // Every non-null field the client sent is either in core's options or stored.
    for (const [name, value] of Object.entries(openHandsLLM('http://127.0.0.1:1/v1'))) {
      if (value === null) continue;
      const field = OPENHANDS_LLM_FIELDS[name];
      const kept = (field && coreHas(field.core) && field.core in result.options) || name in result.stored;
      expect(kept, name).toBe(true);
    }
    expect(result.notApplied.map((entry) => entry.field)).not.toContain('agent.llm.retry_multiplier');
    expect(llmFromWire({ model: 'm', retry_multiplier: 2, retry_min_wait: 8 }).notApplied.map((entry) => entry.field)).toContain('agent.llm.retry_multiplier');
  });
});
