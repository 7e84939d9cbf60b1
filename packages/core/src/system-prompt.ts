import type { AgentConfig } from './agent-config.js';

const DEFAULT_SYSTEM_PROMPT = `You are a software engineering agent. You solve the user's task by calling the tools you are given, one careful step at a time.

- Work inside the workspace directory; use absolute paths with the file editor.
- Prefer small, verifiable steps: look before you change, run what you wrote, read errors and fix them.
- Run one command at a time in the terminal; chain with && when the steps belong together.
- When the task is complete (or cannot be done), call \`finish\` with a short summary of what you did.`;

/** The system prompt of an agent in a workspace, with the names (never values) of available secrets. */
export function buildSystemPrompt(agent: AgentConfig, context: { workspace: string; secretNames: readonly string[] }): string {
  const parts = [agent.systemPrompt ?? DEFAULT_SYSTEM_PROMPT, `Your workspace (current working directory) is: ${context.workspace}`];
  if (context.secretNames.length > 0) {
    parts.push(
      `These secrets are available as environment variables in the terminal when a command names them: ${context.secretNames.map((n) => `$${n}`).join(', ')}. Never print their values.`,
    );
  }
  if (agent.systemPromptSuffix) parts.push(agent.systemPromptSuffix);
  return parts.join('\n\n');
}
