import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createConsoleLogger } from '@troupe/core';
import { TASKS_FILE, renderTaskList, taskTrackerTool } from '../src/task-tracker.js';
import { fakeEnvironment, toolRunner } from './helpers.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function conversationDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'troupe-tasks-'));
  directories.push(directory);
  return join(directory, 'conversation');
}

const plan = [
  { title: 'Explore the code', notes: 'src/ first', status: 'done' },
  { title: 'Write the fix', status: 'in_progress' },
  { title: 'Run the tests' },
];

describe('task_tracker', () => {
  test('view before any plan', async () => {
    const environment = fakeEnvironment();
    const run = toolRunner(await taskTrackerTool.create(environment, {}), environment);
    expect(await run({ command: 'view' })).toMatchObject({
      isError: false,
      text: 'No task list found. Use the "plan" command to create one.',
      data: { task_list: [] },
    });
    environment.cleanup();
  });

  test('plan then view, with icons, notes and defaults', async () => {
    const environment = fakeEnvironment();
    const run = toolRunner(await taskTrackerTool.create(environment, {}), environment);
    const planned = await run({ command: 'plan', task_list: plan });
    expect(planned.text).toBe('Task list has been updated with 3 item(s).');
    expect(planned.data.task_list).toEqual([
      { title: 'Explore the code', notes: 'src/ first', status: 'done' },
      { title: 'Write the fix', notes: '', status: 'in_progress' },
      { title: 'Run the tests', notes: '', status: 'todo' },
    ]);
    expect((await run({})).text).toBe(
      '# Task List\n\n1. ✅ Explore the code\n   src/ first\n\n2. 🔄 Write the fix\n\n3. ⏳ Run the tests',
    );
    environment.cleanup();
  });

  test('plan without a task list is an error', async () => {
    const environment = fakeEnvironment();
    const run = toolRunner(await taskTrackerTool.create(environment, {}), environment);
    expect(await run({ command: 'plan' })).toMatchObject({
      isError: true,
      text: '[An error occurred during execution.]\nParameter `task_list` is required for command: plan.',
    });
    environment.cleanup();
  });

  test('the list is saved as JSON in the conversation directory and loaded by a new instance', async () => {
    const directory = conversationDir();
    const environment = fakeEnvironment({ conversationDir: directory });
    await toolRunner(await taskTrackerTool.create(environment, {}), environment)({ command: 'plan', task_list: plan });
    const saved = JSON.parse(readFileSync(join(directory, TASKS_FILE), 'utf8')) as unknown[];
    expect(saved).toHaveLength(3);
    const reloaded = toolRunner(await taskTrackerTool.create(environment, {}), environment);
    expect((await reloaded({ command: 'view' })).text).toContain('2. 🔄 Write the fix');
    environment.cleanup();
  });

  test('secret values in titles and notes are masked before the list is saved', async () => {
    const directory = conversationDir();
    const environment = fakeEnvironment({ conversationDir: directory, secrets: { DEPLOY_TOKEN: 'tok-4f9c2e-secret' } });
    const run = toolRunner(await taskTrackerTool.create(environment, {}), environment);
    await run({
      command: 'plan',
      task_list: [{ title: 'Deploy with tok-4f9c2e-secret', notes: 'token is tok-4f9c2e-secret' }],
    });
    const saved = readFileSync(join(directory, TASKS_FILE), 'utf8');
    expect(saved).not.toContain('tok-4f9c2e-secret');
    expect(JSON.parse(saved)).toEqual([
      { title: 'Deploy with <secret-hidden>', notes: 'token is <secret-hidden>', status: 'todo' },
    ]);
    expect((await run({ command: 'view' })).text).not.toContain('tok-4f9c2e-secret');
    environment.cleanup();
  });

  test('a bad saved file gives a warning and an empty list', async () => {
    const directory = conversationDir();
    mkdirSync(directory);
    writeFileSync(join(directory, TASKS_FILE), '{not json');
    const logger = createConsoleLogger({ level: 'silent' });
    const warn = vi.spyOn(logger, 'warn');
    const environment = fakeEnvironment({ conversationDir: directory, logger });
    const run = toolRunner(await taskTrackerTool.create(environment, {}), environment);
    expect(warn).toHaveBeenCalledOnce();
    expect((await run({ command: 'view' })).text).toBe('No task list found. Use the "plan" command to create one.');
    environment.cleanup();
  });

  test('renderTaskList strips trailing whitespace', () => {
    expect(renderTaskList([{ title: 'Only', notes: '', status: 'todo' }])).toBe('# Task List\n\n1. ⏳ Only');
  });
});
