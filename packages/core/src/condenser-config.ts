import { z } from 'zod';
import { type LLMConfig, LLMConfigSchema } from './llm-config.js';

/** The usage id of the condenser's model when it has none of its own: its cost is tracked apart from the agent's. */
export const CONDENSER_USAGE_ID = 'condenser';

/**
 * The condenser (OpenHands' `LLMSummarizingCondenser`): when the view of the history passes
 * `maxSize` events, the first `keepFirst` and the recent half are kept and the middle is replaced
 * by a summary that a model writes. On by default; `condenser: null` turns it off.
 */
export const CondenserConfigSchema = z
  .object({
    /** The model that writes the summaries (a cheaper one, say); default: the agent's, under usage id `condenser`. */
    llm: LLMConfigSchema.extend({ usageId: z.string().min(1).default(CONDENSER_USAGE_ID) }).optional(),
    /** Condense when the view holds more events than this. */
    maxSize: z.number().int().positive().default(120),
    /** Events at the start of the view that are never forgotten (the system prompt and the task). */
    keepFirst: z.number().int().nonnegative().default(4),
    /** A condensation must forget at least this fraction of the view, or it is not worth a model call. */
    minimumProgress: z.number().gt(0).lt(1).default(0.1),
    /**
     * A condensation that must happen (asked for, or the prompt was too long) but cannot be made by
     * the rule above summarizes the whole view but the system prompt instead. Whenever a summary call
     * fails because the events are too long for the condenser's model, their text is cut to
     * `hardContextResetContextScaling` of the longest and it is tried again, at most this many times.
     */
    hardContextResetMaxRetries: z.number().int().positive().default(5),
    hardContextResetContextScaling: z.number().gt(0).lt(1).default(0.8),
  })
  .refine((config) => config.keepFirst < Math.floor(config.maxSize / 2) - 1, {
    message: 'keepFirst must be less than maxSize / 2 - 1, to leave room for the recent half of the history',
    path: ['keepFirst'],
  });
export type CondenserConfig = z.output<typeof CondenserConfigSchema>;
export type CondenserInput = z.input<typeof CondenserConfigSchema>;

/**
 * The LLM config of the condenser's model: its own, or the agent's under the usage id `condenser`.
 * Summaries are read whole, so they are never streamed. Null when the agent has no condenser.
 */
export function condenserLLMConfig(agent: { llm: LLMConfig; condenser: CondenserConfig | null }): LLMConfig | null {
  if (!agent.condenser) return null;
  const llm = agent.condenser.llm ?? { ...agent.llm, usageId: CONDENSER_USAGE_ID };
  return { ...llm, stream: false };
}
