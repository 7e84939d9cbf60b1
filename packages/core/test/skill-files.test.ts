import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentContextSchema, loadWorkspaceContext, matchTrigger, parseSkillFile, SkillFileError } from '../src/index.js';
import { tempDir } from './helpers.js';

/** Skill files and repository instructions read from a workspace; an invalid file is an error naming it. */

function workspace(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const load = (dir: string) => loadWorkspaceContext(dir, AgentContextSchema.parse({}));

describe('skill files', () => {
  it('reads frontmatter triggers and name; the body is the content', () => {
    const skill = parseSkillFile('---\nname: deploy\ntriggers:\n  - deploy\n  - release\n---\nRun make deploy.\n', '.agents/skills/ops.md', 'ops');
    expect(skill).toEqual({ name: 'deploy', content: 'Run make deploy.\n', triggers: ['deploy', 'release'], source: '.agents/skills/ops.md' });
    expect(parseSkillFile('Just text.', 'a.md', 'a')).toEqual({ name: 'a', content: 'Just text.', triggers: [], source: 'a.md' });
  });

  it('matches a trigger as a whole word, ignoring case', () => {
    const skill = { name: 'git', content: '', triggers: ['git', '/deploy'] };
    expect(matchTrigger(skill, 'Please use GIT here')).toBe('git');
    expect(matchTrigger(skill, 'open github.com')).toBeUndefined();
    expect(matchTrigger(skill, 'run /deploy now')).toBe('/deploy');
  });

  it.each([
    ['---\ntriggers: deploy\n---\nbody', '"triggers" must be a list of non-empty strings'],
    ['---\ntriggers: [ok, 3]\n---\nbody', '"triggers" must be a list'],
    ['---\nname: [a\n---\nbody', 'not valid YAML'],
    ['---\ntriggers: [a]\nbody without a closing line', 'no closing "---" line'],
    ['---\n- a\n- b\n---\nbody', 'must be a mapping'],
    ['---\ninputs:\n  - name: x\n---\nbody', '"inputs"'],
  ])('refuses %j, naming the file', (text, problem) => {
    const error = (() => {
      try {
        parseSkillFile(text, '.agents/skills/bad.md', 'bad');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SkillFileError);
    expect((error as SkillFileError).file).toBe('.agents/skills/bad.md');
    expect((error as Error).message).toContain('.agents/skills/bad.md');
    expect((error as Error).message).toContain(problem);
  });
});

describe('loadWorkspaceContext', () => {
  it('reads AGENTS.md, CLAUDE.md, .cursorrules and .openhands/microagents/repo.md as repository context, and both skill directories', async () => {
    const dir = workspace({
      'AGENTS.md': 'Run pnpm test before committing.',
      'claude.md': 'Be brief.',
      '.cursorrules': 'Tabs, not spaces.',
      '.openhands/microagents/repo.md': '---\nname: repo\n---\nThe API lives in src/api.',
      '.agents/skills/deploy.md': '---\ntriggers: [deploy]\n---\nDeploy with make.',
      '.agents/skills/db/SKILL.md': '---\ntriggers: [migration]\n---\nMigrations go in db/.',
      '.openhands/skills/deploy.md': '---\ntriggers: [deploy]\n---\nShadowed by .agents/skills.',
      '.openhands/skills/style.md': 'Always-on style guide.',
      '.agents/skills/README.md': 'not a skill',
    });
    const { skills } = await load(dir);
    expect(skills.map(({ name, source, triggers }) => ({ name, source, triggers }))).toEqual([
      { name: 'agents', source: 'AGENTS.md', triggers: [] },
      { name: 'claude', source: 'claude.md', triggers: [] },
      { name: 'cursorrules', source: '.cursorrules', triggers: [] },
      { name: 'repo', source: '.openhands/microagents/repo.md', triggers: [] },
      { name: 'db', source: '.agents/skills/db/SKILL.md', triggers: ['migration'] },
      { name: 'deploy', source: '.agents/skills/deploy.md', triggers: ['deploy'] },
      { name: 'style', source: '.openhands/skills/style.md', triggers: [] },
    ]);
    expect(skills[0]!.content).toBe('Run pnpm test before committing.');
  });

  it('reads nothing with loadProjectSkills off', async () => {
    const dir = workspace({ 'AGENTS.md': 'instructions' });
    expect(await loadWorkspaceContext(dir, { loadProjectSkills: false })).toEqual({ skills: [] });
  });

  it('an invalid skill file, two skills of one name in a directory, or a file that is not UTF-8 is an error naming the file', async () => {
    await expect(load(workspace({ '.agents/skills/broken.md': '---\ntriggers: 7\n---\nx' }))).rejects.toThrow(/\.agents\/skills\/broken\.md/);
    const twins = load(workspace({ '.openhands/skills/a.md': '---\nname: same\n---\nx', '.openhands/skills/b.md': '---\nname: same\n---\ny' }));
    await expect(twins).rejects.toThrow(/\.openhands\/skills\/b\.md: \.openhands\/skills\/a\.md already defines a skill named "same"/);
    const binary = workspace({});
    writeFileSync(join(binary, 'AGENTS.md'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    await expect(load(binary)).rejects.toThrow(/AGENTS\.md: it is not UTF-8/);
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is an error naming it', async () => {
    const dir = workspace({ 'AGENTS.md': 'secret' });
    chmodSync(join(dir, 'AGENTS.md'), 0o000);
    await expect(load(dir)).rejects.toThrow(/Cannot read AGENTS\.md/);
  });
});
