import { z } from 'zod';
import { configApiKeys, withoutApiKey } from './api-key.js';
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
  /** MCP servers whose tools the agent gets (OpenHands' `mcp_config`): started with the conversation's actor. */
  mcpConfig: McpConfigSchema.optional(),
});
export type AgentConfig = z.output<typeof AgentConfigSchema>;

/** An agent config without its LLM's API key and its MCP servers' credentials: what state, snapshots and logs may hold. */
export function redactAgent(config: AgentConfig): AgentConfig {
  const llm = configApiKeys(config.llm).length === 0 ? config : { ...config, llm: withoutApiKey(config.llm) };
  return config.mcpConfig ? { ...llm, mcpConfig: redactMcpCredentials(config.mcpConfig) } : llm;
}

const mapKeys = (object: Record<string, unknown>, map: (key: string) => string) =>
  Object.fromEntries(Object.entries(object).map(([key, value]) => [map(key), value]));

/** The stored form of an agent config (`state.json`, the server's JSON): snake_case, no API key. */
export const AgentRecordSchema = z.record(z.string(), z.unknown());
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

export function agentToRecord(config: AgentConfig): AgentRecord {
  return { ...mapKeys({ ...config }, snakeCase), llm: mapKeys(withoutApiKey(config.llm), snakeCase) };
}

export function agentFromRecord(record: AgentRecord): AgentConfig {
  const camel = mapKeys(record, camelCase);
  const llm = record.llm !== null && typeof record.llm === 'object' ? mapKeys(record.llm as Record<string, unknown>, camelCase) : record.llm;
  return AgentConfigSchema.parse({ ...camel, llm });
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
