import { z } from 'zod';
import { ConfigError } from './errors.js';
import { type HookEventType, HookEventTypeSchema } from './hook-execution-event.js';
import { formatZodIssues } from './zod-issues.js';

/** Seconds a hook may run when its definition names no timeout (OpenHands' default). */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 60;

/**
 * One hook (OpenHands' HookDefinition). Troupe runs shell commands; OpenHands' `prompt` and
 * `agent` hooks (an LLM decides) and `async` hooks are refused by name rather than skipped.
 */
const ASYNC_REFUSED = "'async' hooks are not implemented in Troupe: drop 'async' (the hook then runs to its end before the agent goes on)";

export const HookDefinitionSchema = z.object({
  type: z.literal('command', { error: "only 'command' hooks run in Troupe: OpenHands' 'prompt' and 'agent' hooks are not implemented; use a command hook" }).default('command'),
  name: z.string().max(200).nullish(),
  command: z.string().min(1, "a command hook needs its 'command'").max(100_000),
  timeout: z.number().int().positive().max(86_400).default(DEFAULT_HOOK_TIMEOUT_SECONDS),
  async: z.literal(false, { error: ASYNC_REFUSED }).optional(),
  /** The name OpenHands' client writes it under (`model_dump()` without aliases). */
  async_: z.literal(false, { error: ASYNC_REFUSED }).optional(),
});
export type HookDefinition = z.output<typeof HookDefinitionSchema>;

/** Hooks for the tools a matcher names: a tool name, `*` (or empty) for all, a regex (`/…/`, or any text with regex characters). */
export const HookMatcherSchema = z.object({
  matcher: z.string().max(1_000).default('*'),
  hooks: z.array(HookDefinitionSchema).max(100).default([]),
});
export type HookMatcher = z.output<typeof HookMatcherSchema>;
export type HookMatcherInput = z.input<typeof HookMatcherSchema>;

/** The snake_case field of each event (the shape OpenHands stores and reports). */
export const HOOK_EVENT_FIELDS = {
  PreToolUse: 'pre_tool_use',
  PostToolUse: 'post_tool_use',
  UserPromptSubmit: 'user_prompt_submit',
  SessionStart: 'session_start',
  SessionEnd: 'session_end',
  Stop: 'stop',
} as const satisfies Record<HookEventType, string>;
type HookEventField = (typeof HOOK_EVENT_FIELDS)[HookEventType];

const matchers = z.array(HookMatcherSchema).max(100).default([]);

/** A hook configuration as stored and reported: snake_case events only (what `HookConfigSchema` reads any form into). */
export const StoredHookConfigSchema = z.strictObject({
  pre_tool_use: matchers,
  post_tool_use: matchers,
  user_prompt_submit: matchers,
  session_start: matchers,
  session_end: matchers,
  stop: matchers,
});

/**
 * A conversation's hooks, per event. Read as OpenHands reads `hook_config`: snake_case or
 * PascalCase event names (`pre_tool_use` or `PreToolUse`), optionally wrapped in `{"hooks": …}`
 * (the hooks.json of Claude Code plugins); stored and reported in snake_case.
 */
export const HookConfigSchema = z.preprocess(normalizeHookConfigKeys, StoredHookConfigSchema);
export type HookConfig = z.output<typeof HookConfigSchema>;
/** What a caller writes: events by either name. */
export type HookConfigInput = Partial<Record<HookEventType | HookEventField, HookMatcherInput[]>> | { hooks: Partial<Record<HookEventType | HookEventField, HookMatcherInput[]>> };

const FIELD_OF_EVENT: Readonly<Record<string, string>> = HOOK_EVENT_FIELDS;

function normalizeHookConfigKeys(value: unknown, context: z.RefinementCtx): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const unwrapped = 'hooks' in record && Object.keys(record).length === 1 ? record.hooks : record;
  if (unwrapped === null || typeof unwrapped !== 'object' || Array.isArray(unwrapped)) return unwrapped;
  const normalized: Record<string, unknown> = {};
  for (const [key, matchersOfEvent] of Object.entries(unwrapped)) {
    // An unknown name stays as it is: the strict schema then names it.
    const field = FIELD_OF_EVENT[key] ?? key;
    if (field in normalized) context.addIssue({ code: 'custom', path: [key], message: `the event is given twice, as ${key} and as ${field}: keep one` });
    normalized[field] = matchersOfEvent;
  }
  return normalized;
}

/** The matchers configured for an event. */
export function matchersFor(config: HookConfig, event: HookEventType): readonly HookMatcher[] {
  return config[HOOK_EVENT_FIELDS[event]];
}

/** No hook at all. */
export function isEmptyHookConfig(config: HookConfig): boolean {
  return HookEventTypeSchema.options.every((event) => matchersFor(config, event).length === 0);
}

/** Reads a hook configuration as given; an invalid one is a ConfigError naming each bad field. */
export function parseHookConfig(input: unknown): HookConfig {
  const parsed = HookConfigSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(`Invalid hookConfig: ${formatZodIssues(parsed.error, 'hookConfig')}.`);
  return parsed.data;
}
