import { z } from 'zod';
import { AgentContextSchema } from './agent-context.js';
import { configApiKeys, withoutApiKey } from './api-key.js';
import { CondenserConfigSchema } from './condenser-config.js';
import { MissingToolError } from './errors.js';
import { camelCase, snakeCase } from './key-case.js';
import { LLMConfigSchema } from './llm-config.js';
import { McpConfigSchema, redactMcpCredentials } from './mcp-config.js';

/**
 * A tool the agent uses, by reference: a built-in name (`terminal`, `file_editor`, …) with optional
 * params, or a custom tool module the worker imports (`{ name, module: new URL(...).href }`).
 */
export const ToolRefSchema = z.object({
  name: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
  module: z.string().min(1).optional(),
});
export type ToolRef = z.infer<typeof ToolRefSchema>;

export const AgentConfigSchema = z.object({
  llm: LLMConfigSchema,
  tools: z.array(ToolRefSchema).default([]),
  /** Replaces the default system prompt. */
  systemPrompt: z.string().optional(),
  /** Appended to the system prompt. */
  systemPromptSuffix: z.string().optional(),
  /** How many tool calls of one model response may run at once (1 = one after another). */
  toolConcurrency: z.number().int().min(1).default(1),
  /** Summarizes the middle of a long history (on by default); `null` turns it off. */
  condenser: CondenserConfigSchema.nullable().prefault({}),
  /** Skills, repository instructions and prompt suffixes. */
  agentContext: AgentContextSchema.prefault({}),
  /** MCP servers whose tools the agent gets (OpenHands' `mcp_config`): started with the conversation's actor. */
  mcpConfig: McpConfigSchema.optional(),
});
export type AgentConfig = z.output<typeof AgentConfigSchema>;

/** An agent config without its LLM's API key and its MCP servers' credentials: what state, snapshots and logs may hold. */
export function redactAgent(config: AgentConfig): AgentConfig {
  const condenserLLM = config.condenser?.llm;
  const keyless =
    configApiKeys(config.llm).length === 0 && (condenserLLM === undefined || configApiKeys(condenserLLM).length === 0)
      ? config
      : {
          ...config,
          llm: withoutApiKey(config.llm),
          ...(config.condenser && condenserLLM ? { condenser: { ...config.condenser, llm: withoutApiKey(condenserLLM) } } : {}),
        };
  return config.mcpConfig ? { ...keyless, mcpConfig: redactMcpCredentials(config.mcpConfig) } : keyless;
}

const mapKeys = (object: Record<string, unknown>, map: (key: string) => string) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [map(key), value]));

/** The stored form of an agent config (`state.json`, the server's JSON): snake_case, no API key. */
export const AgentRecordSchema = z.record(z.string(), z.unknown());
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The nested configs whose keys change case too (skills and tool params are data, kept as they are). */
function mapNested(record: Record<string, unknown>, map: (key: string) => string): Record<string, unknown> {
  const nested = (value: unknown) => (isObject(value) ? mapKeys(value, map) : value);
  const condenser = record.condenser;
  return {
    ...record,
    llm: nested(record.llm),
    ...(isObject(condenser) ? { condenser: { ...mapKeys(condenser, map), ...(condenser.llm === undefined ? {} : { llm: nested(condenser.llm) }) } } : {}),
    ...(record.agentContext !== undefined ? { agentContext: nested(record.agentContext) } : {}),
    ...(record.agent_context !== undefined ? { agent_context: nested(record.agent_context) } : {}),
  };
}

/** Records made, per config: a conversation's state is written every step with the same agent. */
const records = new WeakMap<AgentConfig, AgentRecord>();

/** The agent as stored (snake_case, secrets redacted). The same config gives the same frozen record. */
export function agentToRecord(config: AgentConfig): AgentRecord {
  let record = records.get(config);
  if (!record) {
    record = deepFreeze(mapNested(mapKeys({ ...redactAgent(config) }, snakeCase), snakeCase));
    records.set(config, record);
  }
  return record;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const nested of Object.values(value)) deepFreeze(nested);
    Object.freeze(value);
  }
  return value;
}

export function agentFromRecord(record: AgentRecord): AgentConfig {
  return AgentConfigSchema.parse(mapNested(mapKeys(record, camelCase), camelCase));
}

/**
 * Checks that a resumed conversation's agent still has every tool the stored one had: tools may be
 * added on resume, never removed (the history holds calls to them).
 */
export function verifyResumedTools(stored: AgentConfig, current: AgentConfig): void {
  const currentNames = new Set(current.tools.map((tool) => tool.name));
  const missing = stored.tools.map((tool) => tool.name).filter((name) => !currentNames.has(name));
  if (missing.length > 0) {
    throw new MissingToolError(
      `Cannot resume: the agent lacks tool${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')} that the stored conversation used. Add ${missing.length > 1 ? 'them' : 'it'} to the agent's tools (tools may be added on resume, never removed).`,
    );
  }
}
