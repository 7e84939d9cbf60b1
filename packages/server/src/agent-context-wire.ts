import { z } from 'zod';

/**
 * The agent's `agent_context` on the wire, in OpenHands' shape. A skill's `trigger` is OpenHands'
 * (`{type: "keyword", keywords}` or `{type: "task", triggers}`; null = always-on repository
 * context); core keeps the words as `triggers`. Fields for features Troupe does not have are
 * accepted at their defaults and refused otherwise, so nothing asked for is silently dropped.
 */

const MAX_TEXT = 1_000_000;

const notSupported = (what: string) => ({ message: `${what} is not supported by Troupe` });

const TriggerWireSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('keyword'), keywords: z.array(z.string().min(1).max(256)).max(100) }),
  z.object({ type: z.literal('task'), triggers: z.array(z.string().min(1).max(256)).max(100) }),
]);

export const SkillWireSchema = z.object({
  name: z.string().min(1).max(256),
  content: z.string().max(MAX_TEXT),
  trigger: TriggerWireSchema.nullish(),
  source: z.string().max(4096).nullish(),
  mcp_tools: z.null(notSupported('mcp_tools on a skill')).optional(),
  inputs: z.array(z.never(notSupported('a task skill with inputs'))).optional(),
  // Descriptive metadata, or about the model invoking skills itself (Troupe activates skills by trigger only).
  is_agentskills_format: z.boolean().optional(),
  version: z.string().max(256).optional(),
  description: z.string().max(MAX_TEXT).nullish(),
  license: z.string().max(256).nullish(),
  compatibility: z.string().max(MAX_TEXT).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  allowed_tools: z.array(z.string()).nullish(),
  disable_model_invocation: z.boolean().optional(),
  resources: z.null(notSupported('skill resources')).optional(),
});
export type SkillWire = z.output<typeof SkillWireSchema>;

export const AgentContextWireSchema = z.object({
  skills: z.array(SkillWireSchema).max(500).default([]),
  system_message_suffix: z.string().max(MAX_TEXT).nullish(),
  user_message_suffix: z.string().max(MAX_TEXT).nullish(),
  load_project_skills: z.boolean().optional(),
  /** Shown to the agent in its system prompt (OpenHands sends the time the client made the agent). */
  current_datetime: z.string().max(256).nullish(),
  load_user_skills: z.literal(false, notSupported('load_user_skills')).optional(),
  load_public_skills: z.literal(false, notSupported('load_public_skills')).optional(),
  marketplace_path: z.string().max(4096).nullish(),
  registered_marketplaces: z.array(z.never(notSupported('registered_marketplaces'))).optional(),
  load_memory: z.literal(false, notSupported('load_memory')).optional(),
  disabled_skills: z.array(z.never(notSupported('disabled_skills'))).optional(),
  secrets: z.null(notSupported('secrets in agent_context (send them with the conversation)')).optional(),
});
export type AgentContextWire = z.output<typeof AgentContextWireSchema>;

/** A wire agent context as core's record (snake_case keys; `agentFromRecord` camel-cases them). */
export function agentContextFromWire(wire: AgentContextWire): Record<string, unknown> {
  return {
    skills: wire.skills.map((skill) => ({
      name: skill.name,
      content: skill.content,
      triggers: skill.trigger ? (skill.trigger.type === 'keyword' ? skill.trigger.keywords : skill.trigger.triggers) : [],
      ...(skill.source ? { source: skill.source } : {}),
    })),
    ...(wire.system_message_suffix ? { system_message_suffix: wire.system_message_suffix } : {}),
    ...(wire.user_message_suffix ? { user_message_suffix: wire.user_message_suffix } : {}),
    ...(wire.load_project_skills === undefined ? {} : { load_project_skills: wire.load_project_skills }),
    ...(wire.current_datetime ? { current_datetime: wire.current_datetime } : {}),
  };
}

/** A stored agent context record as the wire shows it (skills with OpenHands' `trigger`). */
export function agentContextToWire(record: Record<string, unknown>): Record<string, unknown> {
  const skills = Array.isArray(record.skills) ? (record.skills as { name: string; content: string; triggers?: string[]; source?: string }[]) : [];
  return {
    ...record,
    skills: skills.map(({ triggers, ...skill }) => ({ ...skill, trigger: triggers && triggers.length > 0 ? { type: 'keyword', keywords: triggers } : null })),
  };
}
