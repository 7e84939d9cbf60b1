import type { ToolProvider } from '@troupe/core';
import { terminalTool } from './terminal/terminal-tool.js';
import { fileEditorTool } from './file-editor/file-editor-tool.js';
import { taskTrackerTool } from './task-tracker.js';

export {
  terminalTool,
  TerminalParamsSchema,
  TerminalOptionsSchema,
  DEFAULT_NO_CHANGE_TIMEOUT_SECONDS,
  type TerminalParams,
  type TerminalOptions,
} from './terminal/terminal-tool.js';
export { fileEditorTool, FileEditorParamsSchema, type FileEditorParams } from './file-editor/file-editor-tool.js';
export {
  taskTrackerTool,
  TaskTrackerParamsSchema,
  TaskItemSchema,
  TASKS_FILE,
  type TaskTrackerParams,
  type TaskItem,
} from './task-tracker.js';

/** The built-in tools, in the order OpenHands offers them. */
export const builtinToolProviders: readonly ToolProvider[] = [terminalTool, fileEditorTool, taskTrackerTool];

