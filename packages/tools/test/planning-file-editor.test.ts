import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ConfigError, createTool } from '@troupe/core';
import { PLAN_SECTIONS, planningFileEditorTool } from '../src/index.js';
import { fakeEnvironment, toolRunner, type FakeEnvironment } from './helpers.js';

let environment: FakeEnvironment;

beforeEach(() => {
  environment = fakeEnvironment();
});

afterEach(() => environment.cleanup());

const at = (path: string) => join(environment.workspace, path);
const HEADINGS = '# 1. OBJECTIVE\n\n# 2. CONTEXT SUMMARY\n\n# 3. APPROACH OVERVIEW\n\n# 4. IMPLEMENTATION STEPS\n\n# 5. TESTING AND VALIDATION\n';

describe('the plan file', () => {
  test('by default .agents_tmp/PLAN.md, created with the section headings and named in the description', async () => {
    const tool = await planningFileEditorTool.create(environment, {});
    expect(tool.name).toBe('planning_file_editor');
    expect(PLAN_SECTIONS).toHaveLength(5);
    expect(readFileSync(at('.agents_tmp/PLAN.md'), 'utf8')).toBe(HEADINGS);
    expect(tool.description).toContain(`Your plan file: ${at('.agents_tmp/PLAN.md')}`);
  });

  test('a PLAN.md at the workspace root is used as it is', async () => {
    writeFileSync(at('PLAN.md'), '# Legacy plan\n');
    const tool = await planningFileEditorTool.create(environment, {});
    expect(tool.description).toContain(`Your plan file: ${at('PLAN.md')}`);
    expect(readFileSync(at('PLAN.md'), 'utf8')).toBe('# Legacy plan\n');
    expect(existsSync(at('.agents_tmp'))).toBe(false);
  });

  test('plan_path puts it elsewhere, creating its directories; an existing plan is kept', async () => {
    const custom = at('config/nested/PLAN.md');
    await planningFileEditorTool.create(environment, { plan_path: custom });
    expect(readFileSync(custom, 'utf8')).toBe(HEADINGS);
    writeFileSync(custom, '# mine\n');
    await planningFileEditorTool.create(environment, { plan_path: custom });
    expect(readFileSync(custom, 'utf8')).toBe('# mine\n');
  });

  test('a relative plan_path, or a param the tool does not know, is refused', async () => {
    await expect(createTool(planningFileEditorTool, environment, { plan_path: 'relative/PLAN.md' })).rejects.toThrow(
      new ConfigError('plan_path must be an absolute path, got: relative/PLAN.md'),
    );
    await expect(createTool(planningFileEditorTool, environment, { planPath: at('PLAN.md') })).rejects.toThrow(ConfigError);
  });
});

describe('commands', () => {
  let run: ReturnType<typeof toolRunner>;
  const plan = () => at('.agents_tmp/PLAN.md');

  beforeEach(async () => {
    run = toolRunner(await planningFileEditorTool.create(environment, {}), environment);
    writeFileSync(at('code.py'), 'print("hi")\n');
  });

  test('view works on any file and directory', async () => {
    expect((await run({ command: 'view', path: at('code.py') })).text).toContain('     1\tprint("hi")');
    expect((await run({ command: 'view', path: environment.workspace })).isError).toBe(false);
  });

  test('the plan file can be edited, and the edit undone', async () => {
    const edited = await run({ command: 'str_replace', path: plan(), old_str: '# 1. OBJECTIVE\n', new_str: '# 1. OBJECTIVE\nShip the tools.\n' });
    expect(edited.isError).toBe(false);
    expect(readFileSync(plan(), 'utf8')).toContain('# 1. OBJECTIVE\nShip the tools.\n');
    expect((await run({ command: 'insert', path: `${plan()}/`, insert_line: 0, new_str: '<!-- plan -->' })).isError).toBe(false);
    expect((await run({ command: 'undo_edit', path: plan() })).isError).toBe(false);
    expect(readFileSync(plan(), 'utf8').startsWith('# 1. OBJECTIVE\nShip the tools.\n')).toBe(true);
  });

  test('writing any other file is refused, and leaves it untouched', async () => {
    for (const args of [
      { command: 'str_replace', path: at('code.py'), old_str: 'hi', new_str: 'bye' },
      { command: 'create', path: at('new.py'), file_text: 'x' },
      { command: 'insert', path: at('code.py'), insert_line: 0, new_str: 'x' },
      { command: 'create', path: at('.agents_tmp/../PLAN.md'), file_text: 'x' },
    ]) {
      const result = await run(args);
      expect(result.isError).toBe(true);
      expect(result.text).toContain(`Operation '${args.command}' is not allowed on file '${args.path}'. Only the plan file can be edited: ${plan()}`);
    }
    expect(readFileSync(at('code.py'), 'utf8')).toBe('print("hi")\n');
    expect(existsSync(at('new.py'))).toBe(false);
    expect(existsSync(at('PLAN.md'))).toBe(false);
  });

  test('a relative path gets the file editor\'s own correction', async () => {
    const result = await run({ command: 'str_replace', path: '.agents_tmp/PLAN.md', old_str: 'x', new_str: 'y' });
    expect(result.isError).toBe(true);
    expect(result.text).toContain(`The path should be an absolute path. Maybe you meant ${plan()}?`);
  });
});
