import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { AgentContext, Skill } from './agent-context.js';
import { errorMessage, SkillFileError } from './errors.js';
import { parseSkillFile } from './skill-file.js';

/**
 * What a workspace tells the agent, read once when its conversation opens (I/O at the edge; the
 * runtime only uses the result): the repository's instructions for agents and its skills.
 */
export interface WorkspaceContext {
  /** Instruction files (no triggers: repository context) and skill files, in priority order. */
  skills: Skill[];
}

/** Instruction files at the workspace root (names matched ignoring case), with the skill name each becomes. */
export const REPOSITORY_INSTRUCTION_FILES: readonly { file: string; name: string }[] = [
  { file: 'AGENTS.md', name: 'agents' },
  { file: 'CLAUDE.md', name: 'claude' },
  { file: '.cursorrules', name: 'cursorrules' },
];

/** OpenHands' legacy repository instructions (a skill file: frontmatter allowed). */
export const LEGACY_REPOSITORY_FILE = '.openhands/microagents/repo.md';

/** Skill directories, the first winning when two hold a skill of the same name. */
export const SKILL_DIRECTORIES: readonly string[] = ['.agents/skills', '.openhands/skills'];

/** A file longer than this is cut (with a note saying so): it goes into every model request. */
export const MAX_SKILL_FILE_CHARACTERS = 100_000;
const MAX_SKILL_FILES = 500;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** True when a workspace path is a symbolic link: those are not followed (they could point outside the workspace). */
async function isLink(workspace: string, path: string): Promise<boolean> {
  try {
    return (await lstat(join(workspace, path))).isSymbolicLink();
  } catch {
    return false;
  }
}

/** A workspace file's text, null when it does not exist (or is a link); unreadable or not UTF-8 is a `SkillFileError` naming it. */
async function readText(workspace: string, file: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    if (await isLink(workspace, file)) return null;
    bytes = await readFile(join(workspace, file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SkillFileError(`Cannot read ${file} in the workspace: ${errorMessage(error)}. Fix its permissions or remove it.`, file);
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new SkillFileError(`Invalid skill file ${file}: it is not UTF-8 text. Fix or remove the file.`, file);
  }
  if (text.length <= MAX_SKILL_FILE_CHARACTERS) return text;
  return `${text.slice(0, MAX_SKILL_FILE_CHARACTERS)}\n[${file} has ${text.length} characters; only the first ${MAX_SKILL_FILE_CHARACTERS} are shown.]`;
}

async function entries(workspace: string, dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    if (dir !== '.' && (await isLink(workspace, dir))) return [];
    return await readdir(join(workspace, dir), { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw new SkillFileError(`Cannot read the directory ${dir} in the workspace: ${errorMessage(error)}.`, dir);
  }
}

const toPosix = (path: string): string => path.split(sep).join(posix.sep);

/** The markdown files of a skill directory, recursively, sorted; `SKILL.md` names its directory's skill. */
async function skillFiles(workspace: string, dir: string, found: string[] = []): Promise<string[]> {
  for (const entry of (await entries(workspace, dir)).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) await skillFiles(workspace, path, found);
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md') && entry.name !== 'README.md') found.push(path);
    if (found.length > MAX_SKILL_FILES) throw new SkillFileError(`${dir} holds more than ${MAX_SKILL_FILES} skill files; keep fewer.`, dir);
  }
  return found;
}

function defaultSkillName(root: string, file: string): string {
  const path = toPosix(relative(root, file));
  return posix.basename(path).toLowerCase() === 'skill.md' ? posix.dirname(path) : path.replace(/\.md$/i, '');
}

/** The skills of a directory (`root`, relative to `workspace` or to a plugin's directory): its markdown files, recursively; two of one name are a `SkillFileError`. */
export async function readSkillDirectory(workspace: string, root: string): Promise<Skill[]> {
  const skills = new Map<string, Skill>();
  for (const file of await skillFiles(workspace, root)) {
    const text = await readText(workspace, file);
    if (text === null) continue;
    const skill = parseSkillFile(text, file, defaultSkillName(root, file));
    const twin = skills.get(skill.name);
    if (twin) throw new SkillFileError(`Invalid skill file ${file}: ${twin.source} already defines a skill named "${skill.name}". Rename one of them.`, file);
    skills.set(skill.name, skill);
  }
  return [...skills.values()];
}

async function instructionFiles(workspace: string): Promise<Skill[]> {
  const root = await entries(workspace, '.');
  const skills: Skill[] = [];
  for (const { file, name } of REPOSITORY_INSTRUCTION_FILES) {
    const entry = root.find((candidate) => candidate.isFile() && candidate.name.toLowerCase() === file.toLowerCase());
    const text = entry ? await readText(workspace, entry.name) : null;
    if (text !== null && text.trim() !== '') skills.push({ name, content: text, triggers: [], source: entry!.name });
  }
  const legacy = await readText(workspace, LEGACY_REPOSITORY_FILE);
  if (legacy !== null) skills.push(parseSkillFile(legacy, LEGACY_REPOSITORY_FILE, 'repo'));
  return skills;
}

/** Reads the workspace's instructions and skills (nothing when `loadProjectSkills` is off). */
export async function loadWorkspaceContext(workspace: string, context: Pick<AgentContext, 'loadProjectSkills'>): Promise<WorkspaceContext> {
  if (!context.loadProjectSkills) return { skills: [] };
  const skills = new Map<string, Skill>();
  for (const skill of await instructionFiles(workspace)) if (!skills.has(skill.name)) skills.set(skill.name, skill);
  for (const dir of SKILL_DIRECTORIES) for (const skill of await readSkillDirectory(workspace, dir)) if (!skills.has(skill.name)) skills.set(skill.name, skill);
  return { skills: [...skills.values()] };
}

/**
 * The skills of a conversation: the workspace's and the agent context's; a workspace skill wins over
 * one of the same name (OpenHands: project skills are authoritative). Split into repository context
 * (no triggers: always in the system prompt) and knowledge (activated by a trigger in a user message).
 */
export function conversationSkills(agentContext: AgentContext, workspace: WorkspaceContext | undefined): { repository: Skill[]; knowledge: Skill[] } {
  const byName = new Map<string, Skill>();
  for (const skill of [...(workspace?.skills ?? []), ...agentContext.skills]) if (!byName.has(skill.name)) byName.set(skill.name, skill);
  const all = [...byName.values()];
  return { repository: all.filter((skill) => skill.triggers.length === 0), knowledge: all.filter((skill) => skill.triggers.length > 0) };
}
