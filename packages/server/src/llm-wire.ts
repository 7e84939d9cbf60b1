import { anthropicMaxTokens, checkLLMOptions, LLMConfigSchema, modelCapabilities, ReasoningEffortSchema, routeModel, type LLMConfig } from '@troupe/core';
import { z } from 'zod';
import { isUnset, type NotApplied } from './not-applied.js';

/**
 * OpenHands' LLM fields (its names and units) and where each lands in core's LLM config. The one
 * table both directions use: a request's `agent.llm` → `LLMConfig`, and `LLMConfig` → the
 * `agent.llm` of ConversationInfo. A field whose core name core does not have yet is stored and
 * reported (`unless: 'refuse'`: answered with a 422 when set); it becomes live the day core has it.
 */
export interface CoreLLMField {
  /** The core field (camelCase). */
  core: string;
  toCore?: (wire: unknown) => unknown;
  fromCore?: (core: unknown) => unknown;
  /** Until core has the field: `store` (kept, reported in `not_applied`) or `refuse` (a 422 naming it when set). */
  untilCoreHasIt: 'store' | 'refuse';
  why: string;
}

const seconds = { toCore: (value: unknown) => Math.round((value as number) * 1000), fromCore: (value: unknown) => (value as number) / 1000 };

export const OPENHANDS_LLM_FIELDS: Readonly<Record<string, CoreLLMField>> = {
  model: { core: 'model', untilCoreHasIt: 'refuse', why: 'the model' },
  api_key: { core: 'apiKey', untilCoreHasIt: 'refuse', why: 'the API key' },
  base_url: { core: 'baseUrl', untilCoreHasIt: 'refuse', why: 'the endpoint' },
  usage_id: { core: 'usageId', untilCoreHasIt: 'refuse', why: 'the key of stats.usage_to_metrics' },
  temperature: { core: 'temperature', untilCoreHasIt: 'refuse', why: 'sampling' },
  max_output_tokens: { core: 'maxOutputTokens', untilCoreHasIt: 'refuse', why: 'the reply length' },
  timeout: { core: 'timeoutMs', ...seconds, untilCoreHasIt: 'refuse', why: 'seconds per call' },
  num_retries: { core: 'maxRetries', untilCoreHasIt: 'refuse', why: 'retries after the first attempt' },
  retry_min_wait: { core: 'retryMinDelayMs', ...seconds, untilCoreHasIt: 'refuse', why: 'the first retry wait, doubled up to retry_max_wait' },
  retry_max_wait: { core: 'retryMaxDelayMs', ...seconds, untilCoreHasIt: 'refuse', why: 'the longest retry wait' },
  stream: { core: 'stream', untilCoreHasIt: 'refuse', why: 'streamed replies' },
  input_cost_per_token: { core: 'inputCostPerToken', untilCoreHasIt: 'refuse', why: 'cost' },
  output_cost_per_token: { core: 'outputCostPerToken', untilCoreHasIt: 'refuse', why: 'cost' },
  // Troupe additions (OpenHands' clients ignore them on the way back).
  max_connections: { core: 'maxConnections', untilCoreHasIt: 'refuse', why: 'sockets per endpoint and thread' },
  cache_read_cost_per_token: { core: 'cacheReadCostPerToken', untilCoreHasIt: 'refuse', why: 'cost' },
  // Being added to core (the providers work): live as soon as core's LLM config has them.
  top_p: { core: 'topP', untilCoreHasIt: 'refuse', why: 'sampling: a run without it answers differently' },
  top_k: { core: 'topK', untilCoreHasIt: 'refuse', why: 'sampling: a run without it answers differently' },
  seed: { core: 'seed', untilCoreHasIt: 'refuse', why: 'reproducible sampling' },
  extra_headers: { core: 'extraHeaders', untilCoreHasIt: 'refuse', why: 'headers a gateway may require' },
  reasoning_effort: { core: 'reasoningEffort', untilCoreHasIt: 'store', why: 'reasoning models only; OpenHands sends "high" by default' },
  reasoning_summary: { core: 'reasoningSummary', untilCoreHasIt: 'store', why: 'reasoning models only' },
  extended_thinking_budget: { core: 'extendedThinkingBudget', untilCoreHasIt: 'store', why: 'Anthropic thinking only; OpenHands sends 200000 by default' },
};

/**
 * OpenHands' LLM fields Troupe keeps but has no use for, with the value under which OpenHands
 * behaves as Troupe does (`inert`); any other value is reported in `not_applied`. Fields not
 * named here or in the table above are kept and reported whenever set.
 */
const STORED_LLM_FIELDS: Readonly<Record<string, (value: unknown, llm: Record<string, unknown>) => boolean>> = {
  // Troupe doubles from retry_min_wait: OpenHands' schedule exactly when the multiplier equals it.
  retry_multiplier: (value, llm) => value === llm.retry_min_wait,
  auth_type: (value) => value === 'api_key',
  api_mode: (value) => value === 'auto' || value === 'chat',
  capability_overrides: isUnset,
  litellm_extra_body: isUnset,
  // Attribution headers sent to OpenRouter only; litellm's request shaping; Troupe sends no stop words.
  openrouter_site_url: () => true,
  openrouter_app_name: () => true,
  drop_params: () => true,
  modify_params: () => true,
  disable_stop_word: () => true,
  is_subscription: (value) => value === false,
  log_completions: (value) => value === false,
  log_completions_folder: () => true,
  native_tool_calling: (value) => value === true,
  caching_prompt: () => true,
  prompt_cache_retention: () => true,
  enable_encrypted_reasoning: () => true,
  max_message_chars: () => true,
};

const coreShape = LLMConfigSchema.shape as Record<string, z.ZodType>;

/** Whether core's LLM config has the field a wire field maps to. */
export const coreHas = (coreField: string): boolean => coreField in coreShape;

const nullable = (schema: z.ZodType) => schema.nullish();

/** The wire types of the mapped fields: core's where core has the field, else OpenHands'. */
const PENDING_TYPES: Record<string, z.ZodType> = {
  top_p: z.number().min(0).max(1),
  top_k: z.number().int().nonnegative(),
  seed: z.number().int(),
  extra_headers: z.record(z.string(), z.string().max(8192)),
  reasoning_effort: z.string().max(32),
  reasoning_summary: z.string().max(32),
  extended_thinking_budget: z.number().int().nonnegative(),
};

/**
 * OpenHands sends these on every request (`reasoning_effort: "high"`, `extended_thinking_budget:
 * 200000`) and applies each only where the model takes it; the thinking budget is cut to below
 * the output limit. Troupe does the same, and names each one left out in `not_applied`.
 */
const MODEL_DEPENDENT: Readonly<Record<string, (value: unknown, config: LLMConfig) => unknown>> = {
  reasoning_effort: (value, config) =>
    modelCapabilities(config.model)?.reasoning === 'effort' && ReasoningEffortSchema.safeParse(value).success ? value : undefined,
  extended_thinking_budget: (value, config) => {
    const capabilities = modelCapabilities(config.model);
    if (capabilities?.reasoning !== 'thinking') return undefined;
    const budget = Math.min(value as number, anthropicMaxTokens(config, capabilities) - 1);
    return budget >= 1024 ? budget : undefined;
  },
};

function wireType(name: string, field: CoreLLMField): z.ZodType {
  if (field.toCore) return z.number().nonnegative();
  if (name in MODEL_DEPENDENT) return PENDING_TYPES[name]!;
  if (name === 'model') return z.string().min(1).max(256);
  if (name === 'api_key') return z.string().min(1).max(4096);
  return PENDING_TYPES[name] ?? coreShape[field.core]!;
}

/** `agent.llm` as OpenHands writes it: `null` means unset; every other key is kept as it came. */
export const LLMWireSchema = z
  .object(Object.fromEntries(Object.entries(OPENHANDS_LLM_FIELDS).map(([name, field]) => [name, name === 'model' ? wireType(name, field) : nullable(wireType(name, field))])))
  .catchall(z.unknown());
export type LLMWire = z.output<typeof LLMWireSchema>;

export interface LLMFromWire {
  /** Core's LLM options (parsed by the caller with the agent). */
  options: Record<string, unknown>;
  /** The fields core does not take, as they came, to store and report back. */
  stored: Record<string, unknown>;
  notApplied: NotApplied[];
  /** Set fields that must not be dropped: a 422 names them. */
  refused: { field: string; message: string }[];
}

/** Splits a request's LLM into core options and what is kept beside them. */
export function llmFromWire(wire: Record<string, unknown>, path = 'agent.llm'): LLMFromWire {
  const result: LLMFromWire = { options: {}, stored: {}, notApplied: [], refused: [] };
  for (const [name, value] of Object.entries(wire)) {
    if (value === null || value === undefined) continue;
    const field = OPENHANDS_LLM_FIELDS[name];
    if (name in MODEL_DEPENDENT) continue;
    if (field && coreHas(field.core)) {
      result.options[field.core] = field.toCore ? field.toCore(value) : value;
      continue;
    }
    result.stored[name] = value;
    if (field?.untilCoreHasIt === 'refuse') {
      if (!isUnset(value)) result.refused.push({ field: name, message: `Troupe cannot honour ${name} yet (${field.why}); remove it or set it to null.` });
      continue;
    }
    const inert = STORED_LLM_FIELDS[name];
    if (inert?.(value, wire)) continue;
    result.notApplied.push({ field: `${path}.${name}`, reason: field ? `not supported by Troupe's LLM yet (${field.why})` : 'stored, not used by Troupe' });
  }
  fitToModel(wire, path, result);
  return result;
}

function fitToModel(wire: Record<string, unknown>, path: string, result: LLMFromWire): void {
  const base = LLMConfigSchema.safeParse(result.options);
  for (const [name, fit] of Object.entries(MODEL_DEPENDENT)) {
    const value = wire[name];
    if (value === null || value === undefined) continue;
    result.stored[name] = value;
    if (!base.success) continue;
    const outcome = fitForModel(name, value, fit, base.data);
    if ('reason' in outcome) {
      result.notApplied.push({ field: `${path}.${name}`, reason: outcome.reason });
      continue;
    }
    const coreField = OPENHANDS_LLM_FIELDS[name]!.core;
    result.options[coreField] = outcome.fitted;
    Object.assign(base.data, { [coreField]: outcome.fitted });
  }
}

/** The value the model takes for the field (fitted once), or why it takes none. */
function fitForModel(name: string, value: unknown, fit: (value: unknown, config: LLMConfig) => unknown, config: LLMConfig): { fitted: unknown } | { reason: string } {
  try {
    const fitted = fit(value, config);
    if (fitted === undefined) return { reason: `not applied: ${config.model} is not known to take it (${OPENHANDS_LLM_FIELDS[name]!.why}), and OpenHands sends it only to a model that does` };
    const withField = { ...config, [OPENHANDS_LLM_FIELDS[name]!.core]: fitted };
    checkLLMOptions(withField, routeModel(config.model, config.baseUrl, { apiMode: config.apiMode, env: process.env }), modelCapabilities(config.model));
    return { fitted };
  } catch (error) {
    return { reason: `not applied (OpenHands applies it only to a model that takes it): ${(error as Error).message}` };
  }
}

/** The wire name of a core LLM field (for error paths). */
export function wireLLMField(coreField: string): string {
  return Object.entries(OPENHANDS_LLM_FIELDS).find(([, field]) => field.core === coreField)?.[0] ?? coreField;
}

/** An LLM config in OpenHands' names and units, with the stored fields it came with; the API key only when asked (a client sending it). */
export function llmToWire(config: LLMConfig, stored: Record<string, unknown> = {}, options: { withApiKey?: boolean } = {}): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...stored };
  const values = config as unknown as Record<string, unknown>;
  for (const [name, field] of Object.entries(OPENHANDS_LLM_FIELDS)) {
    if ((name === 'api_key' && !options.withApiKey) || !coreHas(field.core)) continue;
    const value = values[field.core];
    if (value === undefined && name in stored) continue;
    wire[name] = value === undefined ? null : field.fromCore ? field.fromCore(value) : value;
  }
  return wire;
}
