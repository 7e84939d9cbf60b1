import { Agent, type AgentConfig, AgentConfigSchema, camelCase, snakeCase, type ToolRef } from '@troupe/core';
import { z } from 'zod';
import { type AgentContextWire, agentContextFromWire, agentContextToWire, AgentContextWireSchema } from './agent-context-wire.js';
import { condenserWireSchema } from './condenser-wire.js';
import { RequestValidationError } from './http-error.js';
import { llmFromWire, LLMWireSchema, llmToWire, wireLLMField } from './llm-wire.js';
import { mcpConfigFromWire, McpConfigWireSchema, mcpConfigToWire } from './mcp-wire.js';
import { type NotApplied, notAppliedOf, redactSecrets } from './not-applied.js';
import { canonicalToolName, toolParamsSchema, usableToolNames } from './tool-names.js';
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from './wire-limits.js';

const ToolInfoSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(MAX_NAME_LENGTH)
    .refine((name) => canonicalToolName(name) !== undefined, { message: `unknown tool; the built-in tools are ${usableToolNames().join(', ')}` }),
  params: z.record(z.string(), z.unknown()).nullish(),
});

/** A tool of a request (`TerminalTool` or `terminal`): its params are checked by the tool's own schema, so a bad one is a 422, not a failed start. */
export const ToolWireSchema = ToolInfoSchema.superRefine((tool, context) => {
  const name = canonicalToolName(tool.name);
  if (name === undefined || tool.params == null) return;
  const parsed = toolParamsSchema(name).safeParse(tool.params);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) context.addIssue({ ...issue, path: ['params', ...issue.path] });
});

/**
 * OpenHands' agent fields Troupe keeps but does not act on yet, with the value under which
 * OpenHands behaves as Troupe does. Any other value is reported in `not_applied`.
 */
const STORED_AGENT_FIELDS: Readonly<Record<string, (value: unknown) => boolean>> = {
  // Troupe always offers finish and think.
  include_default_tools: (value) => Array.isArray(value) && value.length === 2 && value.every((name) => ['finish', 'think'].includes(canonicalToolName(String(name)) ?? '')),
  system_prompt_filename: (value) => value == null || value === 'system_prompt.j2',
  security_policy_filename: (value) => value == null || value === 'security_policy.j2',
  // Troupe's tools always ask the model for a security_risk, as OpenHands' LLM analyzer prompt does.
  system_prompt_kwargs: (value) => value == null || JSON.stringify(value) === '{}' || JSON.stringify(value) === '{"llm_security_analyzer":true}',
};
const AGENT_FIELD_REASONS: Readonly<Record<string, string>> = {
  critic: 'critics are not implemented yet',
  filter_tools_regex: 'tool filtering is not implemented yet',
};

/** `agent` as OpenHands writes it (`null` = unset); fields Troupe does not use are kept as they came. */
export const AgentWireSchema = z
  .object({
    kind: z.literal('Agent').default('Agent'),
    llm: LLMWireSchema,
    tools: z.array(ToolWireSchema).max(100).nullish(),
    system_prompt: z.string().max(MAX_TEXT_LENGTH).nullish(),
    /** A Troupe addition: appended to the system prompt. */
    system_prompt_suffix: z.string().max(MAX_TEXT_LENGTH).nullish(),
    /** Tool calls of one response run at once (core's `toolConcurrency`). */
    tool_concurrency_limit: z.number().int().min(1).max(64).nullish(),
    /** OpenHands' `LLMSummarizingCondenser`; `null` (what OpenHands sends when unset) turns condensation off, absent = Troupe's default condenser. */
    condenser: condenserWireSchema(LLMWireSchema).nullish(),
    agent_context: AgentContextWireSchema.nullish(),
    /** MCP servers whose tools the agent gets (core's `mcpConfig`). */
    mcp_config: McpConfigWireSchema,
  })
  .catchall(z.unknown());
export type AgentWire = z.input<typeof AgentWireSchema>;

/** An agent as the server shows it (OpenHands' shape, never with an API key). */
export const AgentInfoSchema = z.object({ kind: z.literal('Agent'), llm: z.record(z.string(), z.unknown()), tools: z.array(ToolInfoSchema) }).catchall(z.unknown());
export type AgentInfo = z.output<typeof AgentInfoSchema>;

/** What of a request's agent is kept beside core's config: OpenHands' fields Troupe does not use, secrets redacted. */
export interface StoredAgentFields {
  llm: Record<string, unknown>;
  [field: string]: unknown;
}

export interface AgentFromWire {
  agent: Agent;
  stored: StoredAgentFields;
  notApplied: NotApplied[];
}

/** The agent of a request as a core `Agent`, with what is stored and reported beside it; a 422 for what cannot be honoured. */
export function agentFromWire(wire: z.output<typeof AgentWireSchema>, path: readonly (string | number)[] = ['agent']): AgentFromWire {
  const { kind: _kind, llm, tools, system_prompt, system_prompt_suffix, tool_concurrency_limit, condenser, agent_context, mcp_config, ...rest } = wire;
  const mcpConfig = mcpConfigFromWire(mcp_config);
  const dotted = path.join('.');
  const llmParts = llmFromWire(llm, `${dotted}.llm`);
  const condenserLLM = condenser?.llm ? llmFromWire(condenser.llm, `${dotted}.condenser.llm`) : undefined;
  const refused = [
    ...llmParts.refused.map(({ field, message }) => ({ path: [...path, 'llm', field], message, code: 'not_supported' })),
    ...(condenserLLM?.refused ?? []).map(({ field, message }) => ({ path: [...path, 'condenser', 'llm', field], message, code: 'not_supported' })),
  ];
  if (refused.length > 0) throw new RequestValidationError(refused);
  const parsed = AgentConfigSchema.safeParse({
    llm: llmParts.options,
    tools: (tools ?? []).map((tool): ToolRef => ({ name: canonicalToolName(tool.name) ?? tool.name, ...(tool.params && Object.keys(tool.params).length > 0 ? { params: tool.params } : {}) })),
    ...(system_prompt == null ? {} : { systemPrompt: system_prompt }),
    ...(system_prompt_suffix == null ? {} : { systemPromptSuffix: system_prompt_suffix }),
    ...(tool_concurrency_limit == null ? {} : { toolConcurrency: tool_concurrency_limit }),
    ...(condenser === undefined ? {} : { condenser: condenser === null ? null : condenserToCore(condenser, condenserLLM?.options) }),
    ...(agent_context == null ? {} : { agentContext: camelKeys(agentContextFromWire(agent_context)) }),
    ...(mcpConfig ? { mcpConfig } : {}),
  });
  if (!parsed.success) {
    throw new RequestValidationError(
      parsed.error.issues.map((issue) => ({ ...issue, path: [...path, ...wireIssuePath(issue.path)] })),
    );
  }
  const stored = redactSecrets({ ...rest, llm: llmParts.stored, ...(condenserLLM ? { condenser_llm: condenserLLM.stored } : {}) });
  return {
    agent: Agent.fromConfig(parsed.data),
    stored,
    notApplied: [...llmParts.notApplied, ...(condenserLLM?.notApplied ?? []), ...notAppliedOf(rest, dotted, STORED_AGENT_FIELDS, AGENT_FIELD_REASONS)],
  };
}

type CondenserWire = NonNullable<z.output<typeof AgentWireSchema>['condenser']>;

/** A wire condenser as core's config input: its fields camel-cased, its model mapped as the agent's is. */
function condenserToCore(wire: CondenserWire, llm: Record<string, unknown> | undefined): Record<string, unknown> {
  const { kind: _kind, llm: _llm, max_tokens: _maxTokens, ...fields } = wire;
  return { ...camelKeys(fields), ...(llm ? { llm } : {}) };
}

const camelKeys = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([key, value]) => [camelCase(key), value]));
const snakeKeys = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([key, value]) => [snakeCase(key), value]));

/** A core condenser in OpenHands' shape (its model without the API key unless asked). */
function condenserToWire(config: AgentConfig['condenser'], stored: Record<string, unknown> | undefined, options: { withApiKey?: boolean }): Record<string, unknown> | null {
  if (!config) return null;
  const { llm, ...fields } = config;
  return { kind: 'LLMSummarizingCondenser', ...snakeKeys(fields), ...(llm ? { llm: llmToWire(llm, stored, options) } : {}) };
}

/** Where a field of core's agent config was sent on the wire. */
function wireIssuePath(path: readonly PropertyKey[]): PropertyKey[] {
  if (path[0] === 'llm') return ['llm', wireLLMField(String(path[1])), ...path.slice(2)];
  // core's { mcpServers: { name: … } } came as mcp_config's map of servers.
  if (path[0] === 'mcpConfig') return ['mcp_config', ...path.slice(2)];
  return [...path];
}

/** An agent in OpenHands' shape: core's config in OpenHands' names, the stored fields beside it; the API key only for a client sending it. */
export function agentToWire(config: AgentConfig, stored: Partial<StoredAgentFields> = {}, options: { withApiKey?: boolean } = {}): AgentInfo {
  const { llm, condenser_llm: condenserLLM, ...fields } = stored as Partial<StoredAgentFields> & { condenser_llm?: Record<string, unknown> };
  return {
    ...fields,
    kind: 'Agent',
    llm: llmToWire(config.llm, llm, options),
    condenser: condenserToWire(config.condenser, condenserLLM, options),
    agent_context: agentContextToWire(snakeKeys(config.agentContext)),
    tools: config.tools.map((tool) => ({ name: tool.name, params: tool.params ?? {} })),
    system_prompt: config.systemPrompt ?? null,
    ...(config.systemPromptSuffix === undefined ? {} : { system_prompt_suffix: config.systemPromptSuffix }),
    tool_concurrency_limit: config.toolConcurrency,
    mcp_config: mcpConfigToWire(config.mcpConfig, { withSecrets: options.withApiKey ?? false }),
  };
}

/** The core config an agent of ConversationInfo describes (what a remote handle mirrors). */
export function agentConfigFromInfo(info: AgentInfo): AgentConfig {
  const llm = llmFromWire(info.llm).options;
  const tools = info.tools.map((tool): ToolRef => ({ name: tool.name, ...(tool.params && Object.keys(tool.params).length > 0 ? { params: tool.params } : {}) }));
  const systemPrompt = typeof info.system_prompt === 'string' ? { systemPrompt: info.system_prompt } : {};
  const suffix = typeof info.system_prompt_suffix === 'string' ? { systemPromptSuffix: info.system_prompt_suffix } : {};
  const concurrency = typeof info.tool_concurrency_limit === 'number' ? { toolConcurrency: info.tool_concurrency_limit } : {};
  const wireCondenser = info.condenser as CondenserWire | null | undefined;
  const condenser = wireCondenser === undefined ? {} : { condenser: wireCondenser === null ? null : condenserToCore(wireCondenser, wireCondenser.llm ? llmFromWire(wireCondenser.llm).options : undefined) };
  const context = info.agent_context ? { agentContext: camelKeys(agentContextFromWire(AgentContextWireSchema.parse(info.agent_context) as AgentContextWire)) } : {};
  const mcpConfig = mcpConfigFromWire(McpConfigWireSchema.parse(info.mcp_config));
  return AgentConfigSchema.parse({ llm, tools, ...systemPrompt, ...suffix, ...concurrency, ...condenser, ...context, ...(mcpConfig ? { mcpConfig } : {}) });
}
