import type { ToolProvider } from '@troupe/core';
import { terminalTool } from './terminal/terminal-tool.js';
import { fileEditorTool } from './file-editor/file-editor-tool.js';
import { taskTrackerTool } from './task-tracker.js';
import { globTool } from './file-search/glob-tool.js';
import { grepTool } from './file-search/grep-tool.js';
import { applyPatchTool } from './apply-patch/apply-patch-tool.js';
import { planningFileEditorTool } from './file-editor/planning-file-editor-tool.js';

export {
  terminalTool,
  TerminalParamsSchema,
  TerminalOptionsSchema,
  DEFAULT_NO_CHANGE_TIMEOUT_SECONDS,
  type TerminalParams,
  type TerminalOptions,
  resolveShell,
} from './terminal/terminal-tool.js';
export { shellEnvironment, INHERITED_VARIABLES } from './terminal/shell-environment.js';
export { fileEditorTool, FileEditorParamsSchema, type FileEditorParams } from './file-editor/file-editor-tool.js';
export {
  taskTrackerTool,
  TaskTrackerParamsSchema,
  TaskItemSchema,
  TASKS_FILE,
  type TaskTrackerParams,
  type TaskItem,
} from './task-tracker.js';

export { globTool, GlobParamsSchema, type GlobParams } from './file-search/glob-tool.js';
export { grepTool, GrepParamsSchema, MAX_GREP_FILE_MB, type GrepParams } from './file-search/grep-tool.js';
export { MAX_SEARCH_RESULTS } from './file-search/search-report.js';
export { applyPatchTool, ApplyPatchParamsSchema, type ApplyPatchParams } from './apply-patch/apply-patch-tool.js';
export {
  planningFileEditorTool,
  PlanningFileEditorOptionsSchema,
  PLAN_FILE_NAME,
  PLAN_DIRECTORY,
  PLAN_SECTIONS,
  type PlanningFileEditorOptions,
} from './file-editor/planning-file-editor-tool.js';

/** The built-in tools, in the order OpenHands offers them. */
export const builtinToolProviders: readonly ToolProvider[] = [
  terminalTool,
  fileEditorTool,
  taskTrackerTool,
  globTool,
  grepTool,
  applyPatchTool,
  planningFileEditorTool,
];

