import { z } from 'zod';
import { type AgentConfig, ToolRefSchema } from './agent-config.js';
import { LLMConfigSchema } from './llm-config.js';

/** The tool through which an agent starts sub-agents and hands them tasks (OpenHands' delegate tool). */
export const DELEGATE_TOOL_NAME = 'delegate';

/** The sub-agent type used when a spawn names none: the parent's own agent, without the delegate tool. */
export const DEFAULT_AGENT_TYPE = 'default';

/**
 * A kind of sub-agent the delegate tool may spawn (OpenHands' agent definition, the fields Troupe
 * acts on): what the model is told of it (name, description), and how it differs from the parent
 * agent (tools, model, system prompt suffix, iteration limit). Given on the parent conversation.
 */
export const AgentDefinitionSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'use 1-64 letters, digits, "_" or "-"')
    .refine((name) => name !== DEFAULT_AGENT_TYPE, `"${DEFAULT_AGENT_TYPE}" is the built-in type (the parent's own agent); choose another name`),
  description: z.string().default(''),
  /** Its tools, by name or reference; default: the parent's tools (never the delegate tool: sub-agents do not delegate). */
  tools: z.array(z.union([z.string().min(1).transform((name) => ({ name })), ToolRefSchema])).optional(),
  /** Its model; default: the parent's. */
  llm: LLMConfigSchema.optional(),
  /** Appended to its system prompt (replaces the parent's suffix). */
  systemPromptSuffix: z.string().optional(),
  maxIterationsPerRun: z.number().int().positive().optional(),
});
export type AgentDefinitionInput = z.input<typeof AgentDefinitionSchema>;
export type AgentDefinition = z.output<typeof AgentDefinitionSchema>;

export const AgentDefinitionsSchema = z.array(AgentDefinitionSchema).superRefine((definitions, context) => {
  const seen = new Set<string>();
  for (const [index, definition] of definitions.entries()) {
    if (seen.has(definition.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `agent type "${definition.name}" is defined twice` });
    seen.add(definition.name);
  }
});

/**
 * The agent a sub-agent of `type` runs (pure): the parent's agent changed by the definition, never
 * with the delegate tool. `definition` undefined is the default type.
 */
export function subAgentConfig(parent: AgentConfig, definition: AgentDefinition | undefined): AgentConfig {
  const inherited = parent.tools.filter((tool) => tool.name !== DELEGATE_TOOL_NAME);
  if (!definition) return { ...parent, tools: inherited };
  const { systemPromptSuffix: _parentSuffix, ...rest } = parent;
  return {
    ...rest,
    tools: (definition.tools ?? inherited).filter((tool) => tool.name !== DELEGATE_TOOL_NAME),
    llm: definition.llm ?? parent.llm,
    ...(definition.systemPromptSuffix === undefined ? {} : { systemPromptSuffix: definition.systemPromptSuffix }),
  };
}
