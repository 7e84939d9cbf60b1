import { parse as parseYaml } from 'yaml';
import type { Skill } from './agent-context.js';
import { errorMessage, SkillFileError } from './errors.js';

/**
 * A skill file: markdown with optional YAML frontmatter (OpenHands' format):
 *
 * ```markdown
 * ---
 * name: deploy          # default: the file's path in the skills directory, without `.md`
 * triggers: [deploy, release]
 * ---
 * How we deploy: …
 * ```
 *
 * `triggers` make it knowledge, added to a user message that contains one; without them its
 * content is repository context in the system prompt. A file that does not follow the format is a
 * `SkillFileError` naming it.
 */

const FRONTMATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/** Frontmatter keys read here; OpenHands' other keys (description, version, …) are metadata Troupe has no use for. */
const UNSUPPORTED_KEYS: Record<string, string> = {
  inputs: 'task skills with inputs are not supported; remove `inputs`',
  paths: 'path-triggered rules are not supported; use `triggers` (words in the user message) instead',
  mcp_tools: 'MCP tools are not supported',
};

function fail(file: string, problem: string): never {
  throw new SkillFileError(`Invalid skill file ${file}: ${problem}. Fix or remove the file.`, file);
}

/** Parses one skill file's text; `file` names it in errors (and becomes its `source`), `defaultName` is used without a `name`. */
export function parseSkillFile(text: string, file: string, defaultName: string): Skill {
  const match = FRONTMATTER.exec(text);
  if (!match) {
    if (/^---[ \t]*\r?\n/.test(text)) fail(file, 'its frontmatter starts with "---" but has no closing "---" line');
    return { name: defaultName, content: text, triggers: [], source: file };
  }
  let metadata: unknown;
  try {
    metadata = parseYaml(match[1]!) ?? {};
  } catch (error) {
    fail(file, `its frontmatter is not valid YAML (${errorMessage(error).split('\n')[0]})`);
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) fail(file, 'its frontmatter must be a mapping of keys to values');
  const fields = metadata as Record<string, unknown>;
  for (const [key, problem] of Object.entries(UNSUPPORTED_KEYS)) if (fields[key] !== undefined && fields[key] !== null) fail(file, `"${key}": ${problem}`);
  const name = fields.name ?? defaultName;
  if (typeof name !== 'string' || name.trim() === '') fail(file, '"name" must be a non-empty string');
  const triggers = fields.triggers ?? [];
  if (!Array.isArray(triggers) || !triggers.every((trigger) => typeof trigger === 'string' && trigger.trim() !== '')) {
    fail(file, '"triggers" must be a list of non-empty strings, e.g. triggers: [deploy, release]');
  }
  return { name: name.trim(), content: text.slice(match[0].length), triggers: (triggers as string[]).map((trigger) => trigger.trim()), source: file };
}
