import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool, NoToolParamsSchema, type ToolDefinition, type ToolEnvironment, type ToolProvider, type ToolWire, writeFileAtomic } from '@troupe/core';
import { errorOutput } from './error-output.js';

export const TaskItemSchema = z.object({
  title: z.string().describe('A brief title for the task.'),
  notes: z.string().default('').describe('Additional details or notes about the task.'),
  status: z
    .enum(['todo', 'in_progress', 'done'])
    .default('todo')
    .describe('The current status of the task: "todo", "in_progress", or "done".'),
});
export type TaskItem = z.output<typeof TaskItemSchema>;

export const TaskTrackerParamsSchema = z.object({
  command: z
    .enum(['view', 'plan'])
    .default('view')
    .describe('The command to execute. `view` shows the current task list. `plan` creates or updates the task list based on provided requirements and progress. Always `view` the current list before making changes.'),
  task_list: z
    .array(TaskItemSchema)
    .optional()
    .describe('The full task list. Required parameter of `plan` command.'),
});
export type TaskTrackerParams = z.output<typeof TaskTrackerParamsSchema>;

export const TASKS_FILE = 'TASKS.json';

const STATUS_ICONS: Readonly<Record<TaskItem['status'], string>> = { todo: '⏳', in_progress: '🔄', done: '✅' };

const DESCRIPTION = `This tool provides structured task management capabilities for development workflows.
It enables systematic tracking of work items, progress monitoring, and efficient
organization of complex development activities.

The tool maintains visibility into project status and helps communicate
progress effectively to users.

## Application Guidelines

Utilize this tool in the following situations:

1. Multi-phase development work - When projects involve multiple sequential or
   parallel activities
2. Complex implementation tasks - Work requiring systematic planning and
   coordination across multiple components
3. Explicit user request for task organization - When users specifically ask
   for structured task management
4. Multiple concurrent requirements - When users present several work items
   that need coordination
5. Project initiation - Capture and organize user requirements at project start
6. Work commencement - Update task status to in_progress before beginning
   implementation. Maintain focus by limiting active work to one task
7. Task completion - Update status to done and identify any additional work
   that emerged during implementation

## Situations Where Tool Usage Is Unnecessary

Avoid using this tool when:

1. Single atomic tasks that require no decomposition
2. Trivial operations where tracking adds no organizational value
3. Simple activities completable in minimal steps
4. Pure information exchange or discussion

## Task Management

1. Status values: todo (not started), in_progress (being worked on; keep only one task in progress at a time),
   done (finished successfully).
2. \`plan\` replaces the whole list: always send the full list, with every task and its current status.
3. Mark a task done as soon as it is finished; do not batch completions.
4. Only mark a task done when it is fully accomplished; if you hit errors or blockers, keep it in_progress and add
   a task for the blocker.`;

/** The task list as the model sees it. */
export function renderTaskList(tasks: readonly TaskItem[]): string {
  if (tasks.length === 0) return 'No task list found. Use the "plan" command to create one.';
  const items = tasks.map((task, index) => {
    const heading = `${index + 1}. ${STATUS_ICONS[task.status]} ${task.title}`;
    return task.notes === '' ? heading : `${heading}\n   ${task.notes}`;
  });
  return `# Task List\n\n${items.join('\n\n')}`.trim();
}

const TASK_TRACKER_WIRE: ToolWire = {
  toolKind: 'TaskTrackerTool',
  actionKind: 'TaskTrackerAction',
  observationKind: 'TaskTrackerObservation',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/** The `task_tracker` tool: a plan the model keeps, saved in the conversation's directory when it has one. */
export const taskTrackerTool: ToolProvider = {
  name: 'task_tracker',
  inline: true,
  paramsSchema: NoToolParamsSchema,
  create: (environment) => createTaskTrackerTool(environment),
};

export async function createTaskTrackerTool(
  environment: ToolEnvironment,
): Promise<ToolDefinition<typeof TaskTrackerParamsSchema>> {
  const file = environment.conversationDir === undefined ? undefined : join(environment.conversationDir, TASKS_FILE);
  let tasks: TaskItem[] = file === undefined ? [] : await loadTasks(file, environment);

  return defineTool({
    name: 'task_tracker',
    description: DESCRIPTION,
    parameters: TaskTrackerParamsSchema,
    wire: TASK_TRACKER_WIRE,
    async execute(args) {
      if (args.command === 'view') return { content: renderTaskList(tasks), data: { command: 'view', task_list: tasks } };
      if (args.task_list === undefined) {
        return errorOutput('Parameter `task_list` is required for command: plan.', { command: 'plan', task_list: tasks });
      }
      // Secret values never reach TASKS.json; the model sees them masked in the observation anyway.
      const planned = args.task_list.map((task) => ({
        ...task,
        title: environment.secrets.mask(task.title),
        notes: environment.secrets.mask(task.notes),
      }));
      if (file !== undefined && environment.conversationDir !== undefined) {
        await mkdir(environment.conversationDir, { recursive: true });
        await writeFileAtomic(file, `${JSON.stringify(planned, null, 2)}\n`);
      }
      tasks = planned;
      return {
        content: `Task list has been updated with ${tasks.length} item(s).`,
        data: { command: 'plan', task_list: tasks },
      };
    },
  });
}

/** The saved list; a missing file is an empty list, and so is a bad one, with a warning. */
async function loadTasks(file: string, environment: ToolEnvironment): Promise<TaskItem[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    environment.logger.warn('Could not read the task list; starting with an empty one.', { file, error: String(error) });
    return [];
  }
  try {
    return z.array(TaskItemSchema).parse(JSON.parse(text));
  } catch (error) {
    environment.logger.warn('The saved task list is invalid; starting with an empty one.', { file, error: String(error) });
    return [];
  }
}
