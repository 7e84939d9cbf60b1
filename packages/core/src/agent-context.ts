import { z } from 'zod';
import { type Message, type TextContent, textContent } from './content.js';

/**
 * What shapes the agent's prompts beyond its system prompt (OpenHands' `AgentContext`): skills,
 * and suffixes for the system prompt and for every user message.
 *
 * A skill with `triggers` is knowledge: its content is added to a user message that contains one
 * of them (whole word, any case), once per conversation. A skill without triggers is repository
 * context: always in the system prompt.
 */
export const SkillSchema = z.object({
  name: z.string().min(1),
  content: z.string(),
  triggers: z.array(z.string().trim().min(1)).default([]),
  /** Where it was read from (a workspace-relative path); absent for a skill given in code. */
  source: z.string().optional(),
});
export type Skill = z.output<typeof SkillSchema>;
export type SkillInput = z.input<typeof SkillSchema>;

export const AgentContextSchema = z.object({
  skills: z
    .array(SkillSchema)
    .default([])
    .refine((skills) => new Set(skills.map((skill) => skill.name)).size === skills.length, { message: 'skill names must be unique' }),
  /** Appended to the system prompt. */
  systemMessageSuffix: z.string().optional(),
  /** Told to the agent in its system prompt as the current date and time (OpenHands' `current_datetime`). */
  currentDatetime: z.string().optional(),
  /** Appended to every user message (after the knowledge of activated skills). */
  userMessageSuffix: z.string().optional(),
  /**
   * Read the workspace's repository instructions (`AGENTS.md`, `CLAUDE.md`, `.cursorrules`,
   * `.openhands/microagents/repo.md`) and skills (`.agents/skills/`, `.openhands/skills/`) at start.
   * On by default in Troupe (OpenHands: off).
   */
  loadProjectSkills: z.boolean().default(true),
});
export type AgentContext = z.output<typeof AgentContextSchema>;
export type AgentContextInput = z.input<typeof AgentContextSchema>;

/** A knowledge skill a message activated, and the trigger that did it. */
export interface RecalledSkill {
  skill: Skill;
  trigger: string;
}

/**
 * The first of a skill's triggers that appears in a text as a whole word, ignoring case: `git`
 * does not fire on `github`, `/deploy` fires on `/deploy now`.
 */
export function matchTrigger(skill: Skill, text: string): string | undefined {
  const lower = text.toLowerCase();
  return skill.triggers.find((trigger) => {
    const escaped = trigger.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(lower);
  });
}

/** The knowledge skills a message's text activates, skipping those activated before in the conversation. */
export function recallSkills(text: string, skills: readonly Skill[], alreadyActivated: ReadonlySet<string>): RecalledSkill[] {
  const recalled: RecalledSkill[] = [];
  for (const skill of skills) {
    if (skill.triggers.length === 0 || alreadyActivated.has(skill.name)) continue;
    const trigger = matchTrigger(skill, text);
    if (trigger !== undefined) recalled.push({ skill, trigger });
  }
  return recalled;
}

function knowledgeBlock({ skill, trigger }: RecalledSkill): string {
  const source = skill.source ? `\nIt comes from ${skill.source} (relative paths in it are relative to that file).` : '';
  return `<EXTRA_INFO>\nThe word "${trigger}" in the user's message brought in the skill "${skill.name}". Use it if it helps with the request.${source}\n\n${skill.content.trim()}\n</EXTRA_INFO>`;
}

/**
 * What a user message gets beside its own content (`MessageEvent.extended_content`): the knowledge
 * of the skills it activates, then the context's `userMessageSuffix`. Null when there is neither.
 */
export function extendUserMessage(
  message: Message,
  context: { skills: readonly Skill[]; userMessageSuffix?: string | undefined },
  alreadyActivated: ReadonlySet<string>,
): { content: TextContent; activatedSkills: string[] } | null {
  const text = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
  const recalled = text.trim() ? recallSkills(text, context.skills, alreadyActivated) : [];
  const suffix = context.userMessageSuffix?.trim();
  const parts = [...recalled.map(knowledgeBlock), ...(suffix ? [suffix] : [])];
  if (parts.length === 0) return null;
  return { content: textContent(parts.join('\n\n')), activatedSkills: recalled.map(({ skill }) => skill.name) };
}
