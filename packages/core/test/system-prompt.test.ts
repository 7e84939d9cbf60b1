import { describe, expect, it } from 'vitest';
import { AgentConfigSchema, buildSystemPrompt, defaultSystemPrompt } from '../src/index.js';

/** The default system prompt holds what a coding agent needs, templated with the workspace and its tools. */

const CODING_TOOLS = ['terminal', 'file_editor', 'task_tracker', 'glob', 'grep', 'apply_patch', 'finish', 'think'];

describe('the default system prompt', () => {
  const prompt = defaultSystemPrompt({ workspace: '/work/repo', tools: CODING_TOOLS, riskParameter: true });

  it.each([
    ['the workspace', /\/work\/repo/],
    ['how to explore a repository', /<EXPLORING A REPOSITORY>[\s\S]*README[\s\S]*`glob`[\s\S]*`grep`/],
    ['how to edit safely', /<EDITING SAFELY>[\s\S]*absolute paths[\s\S]*`str_replace`[\s\S]*`apply_patch`[\s\S]*Never delete or overwrite work you did not create/],
    ['how to run and read tests', /<RUNNING AND READING TESTS>[\s\S]*Run the tests closest to your change[\s\S]*Read failures fully[\s\S]*Never make a test pass by weakening it/],
    ['how to use the task tracker', /<TRACKING YOUR WORK>[\s\S]*`task_tracker`[\s\S]*in_progress[\s\S]*done/],
    ['how to report risk', /<SECURITY RISK>[\s\S]*`security_risk`[\s\S]*LOW[\s\S]*MEDIUM[\s\S]*HIGH/],
    ['how to finish', /<FINISHING>[\s\S]*call `finish` with a short summary/],
  ])('says %s', (_piece, pattern) => {
    expect(prompt).toMatch(pattern);
  });

  it('is substantial, and mentions only the tools the agent has', () => {
    expect(prompt.length).toBeGreaterThan(3_000);
    const bare = defaultSystemPrompt({ workspace: '/w', tools: ['finish', 'think'], riskParameter: false });
    for (const absent of ['task_tracker', 'glob', 'grep', 'apply_patch', 'file_editor', 'security_risk', 'RUNNING AND READING TESTS', 'EDITING SAFELY']) expect(bare).not.toContain(absent);
    expect(bare).toContain('`finish`');
  });
});

describe('buildSystemPrompt', () => {
  const context = { workspace: '/w', secretNames: ['GITHUB_TOKEN'], tools: [{ name: 'terminal', readOnly: false }, { name: 'finish', readOnly: true }], repositorySkills: [] };

  it('uses the template with the tools present, then repository context, secrets and suffixes', () => {
    const agent = AgentConfigSchema.parse({ llm: { model: 'm/m' }, systemPromptSuffix: 'SUFFIX-1', agentContext: { systemMessageSuffix: 'SUFFIX-2' } });
    const prompt = buildSystemPrompt(agent, { ...context, repositorySkills: [{ name: 'agents', content: 'Use pnpm.', triggers: [], source: 'AGENTS.md' }] });
    expect(prompt).toContain('<RUNNING AND READING TESTS>');
    expect(prompt).toContain('<SECURITY RISK>');
    expect(prompt).toMatch(/<REPOSITORY_CONTEXT>[\s\S]*source="AGENTS.md"[\s\S]*Use pnpm\.[\s\S]*\$GITHUB_TOKEN[\s\S]*SUFFIX-1\n\nSUFFIX-2$/);
  });

  it("an agent's own system prompt replaces the template; the workspace is still said", () => {
    const agent = AgentConfigSchema.parse({ llm: { model: 'm/m' }, systemPrompt: 'Only haiku.' });
    const prompt = buildSystemPrompt(agent, context);
    expect(prompt.startsWith('Only haiku.\n\nYour workspace (current working directory) is: /w')).toBe(true);
    expect(prompt).not.toContain('<ROLE>');
  });
});
