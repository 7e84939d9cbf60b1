import { CONDENSER_USAGE_ID, CondenserConfigSchema, camelCase } from '@troupe/core';
import { z } from 'zod';
import { snakeShape } from './snake-case.js';

/**
 * The agent's `condenser` on the wire, in OpenHands' shape:
 * `{kind: "LLMSummarizingCondenser", llm, max_size, keep_first, minimum_progress, hard_context_reset_*}`.
 * `null` turns condensation off; absent, Troupe's default condenser is used. `llm` may be left out
 * (the agent's model, usage id `condenser`). Token-based triggering (`max_tokens`) is not
 * supported: a number there is refused, `null` (what OpenHands sends by default) is fine.
 */
export function condenserWireSchema<LLM extends z.ZodObject>(llmWire: LLM) {
  const { llm: _llm, ...fields } = CondenserConfigSchema.shape;
  return z
    .object({
      kind: z.literal('LLMSummarizingCondenser').default('LLMSummarizingCondenser'),
      llm: llmWire.extend({ usage_id: z.string().min(1).default(CONDENSER_USAGE_ID) }).optional(),
      ...snakeShape(fields),
      max_tokens: z.null({ message: 'token-based condensation (max_tokens) is not supported by Troupe; use max_size (the provider\'s context-length error condenses too)' }).optional(),
    })
    .superRefine((wire, context) => {
      // The core config's own rules (keep_first against max_size), reported on the wire's field names.
      const { kind: _kind, llm: _wireLlm, max_tokens: _maxTokens, ...rest } = wire;
      const parsed = CondenserConfigSchema.safeParse(Object.fromEntries(Object.entries(rest).map(([key, value]) => [camelCase(key), value])));
      if (parsed.success) return;
      for (const issue of parsed.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path.map((part) => (typeof part === 'string' ? part.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : part)) });
    });
}

/** A stored condenser record (snake_case) as the wire shows it. */
export function condenserToWire(record: Record<string, unknown>): Record<string, unknown> {
  return { kind: 'LLMSummarizingCondenser', ...record };
}

/** A wire condenser as a record for core (`agentFromRecord`): without the wire-only keys. */
export function condenserFromWire(wire: Record<string, unknown>): Record<string, unknown> {
  const { kind: _kind, max_tokens: _maxTokens, ...record } = wire;
  return record;
}
