import { z } from 'zod';
import { defineTool, type ToolDefinition } from './tool.js';

/** Ends the run: the agent's final answer to the user. */
export const finishTool: ToolDefinition = {
  ...defineTool({
    name: 'finish',
    description:
      'Signals that the task is complete (or cannot be completed). Use it when you are done, with a message that summarises what you did and what the user should know.',
    parameters: z.object({ message: z.string().describe('Final message to the user.') }),
    wire: {
      toolKind: 'FinishTool',
      actionKind: 'FinishAction',
      observationKind: 'FinishObservation',
      annotations: { title: 'finish', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    execute: ({ message }) => message,
  }),
  finishesRun: true,
};

/** Lets the model write down its reasoning without acting. */
export const thinkTool: ToolDefinition = defineTool({
  name: 'think',
  description:
    'Use the tool to think about something. It will not obtain new information or make any changes, but just log the thought. Use it for complex reasoning or brainstorming.',
  parameters: z.object({ thought: z.string().describe('The thought to log.') }),
  wire: {
    toolKind: 'ThinkTool',
    actionKind: 'ThinkAction',
    observationKind: 'ThinkObservation',
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  execute: () => 'Your thought has been logged.',
});

export const DEFAULT_TOOLS: readonly ToolDefinition[] = [finishTool, thinkTool];
