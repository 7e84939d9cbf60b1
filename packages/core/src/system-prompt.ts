import type { Skill } from './agent-context.js';
import type { AgentConfig } from './agent-config.js';
import { defaultSystemPrompt } from './system-prompt-template.js';

export interface SystemPromptContext {
  workspace: string;
  /** Names (never values) of the secrets the terminal can use. */
  secretNames: readonly string[];
  /** The tools the model is offered. */
  tools: readonly { name: string; readOnly: boolean }[];
  /** Repository instructions and skills without triggers: always part of the prompt. */
  repositorySkills: readonly Skill[];
}

function repositoryContext(skills: readonly Skill[]): string | undefined {
  if (skills.length === 0) return undefined;
  const blocks = skills.map((skill) => `<INSTRUCTIONS name="${skill.name}"${skill.source ? ` source="${skill.source}"` : ''}>\n${skill.content.trim()}\n</INSTRUCTIONS>`);
  return `<REPOSITORY_CONTEXT>\nThe repository comes with these instructions for agents. Follow them; where they contradict the user's request, the user wins.\n\n${blocks.join('\n\n')}\n</REPOSITORY_CONTEXT>`;
}

/**
 * The system prompt of an agent in a workspace: the agent's own prompt or Troupe's default
 * (templated with the workspace and the tools), the repository's instructions, the names of the
 * secrets, then the agent's suffixes.
 */
export function buildSystemPrompt(agent: AgentConfig, context: SystemPromptContext): string {
  const base = agent.systemPrompt
    ? [agent.systemPrompt, `Your workspace (current working directory) is: ${context.workspace}`]
    : [defaultSystemPrompt({ workspace: context.workspace, tools: context.tools.map((tool) => tool.name), riskParameter: context.tools.some((tool) => !tool.readOnly) })];
  const parts = [...base];
  const repository = repositoryContext(context.repositorySkills);
  if (repository) parts.push(repository);
  if (agent.agentContext.currentDatetime) parts.push(`The current date and time is ${agent.agentContext.currentDatetime}.`);
  if (context.secretNames.length > 0) {
    parts.push(
      `These secrets are available as environment variables in the terminal when a command names them: ${context.secretNames.map((n) => `$${n}`).join(', ')}. Never print their values.`,
    );
  }
  if (agent.systemPromptSuffix) parts.push(agent.systemPromptSuffix);
  if (agent.agentContext.systemMessageSuffix) parts.push(agent.agentContext.systemMessageSuffix);
  return parts.join('\n\n');
}
