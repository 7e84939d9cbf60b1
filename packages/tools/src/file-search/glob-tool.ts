import { z } from 'zod';
import { defineTool, type ToolContext, type ToolDefinition, type ToolEnvironment, type ToolOutput, type ToolProvider, type ToolWire, NoToolParamsSchema } from '@troupe/core';
import { errorOutput } from '../error-output.js';
import { newestFirst } from './newest-first.js';
import { MAX_SEARCH_RESULTS, SEARCH_TIME_LIMIT_MS, TRUNCATED_NOTE, partialNote, searchReport } from './search-report.js';
import { isWithin } from '../workspace-paths.js';
import { isDirectory, mentionsHiddenSegment, pathMatcher, resolveSearchDirectory, splitAbsolutePattern } from './search-paths.js';
import { walkFiles } from './workspace-walk.js';

export const GlobParamsSchema = z.object({
  pattern: z
    .string()
    .describe('The glob pattern to match files against, e.g. "**/*.js" or "src/**/*.ts". An absolute pattern (e.g. "/repo/src/*.ts") names the directory to search, and matches from it.'),
  path: z
    .string()
    .optional()
    .describe('The directory to search in: absolute, or relative to the working directory. Defaults to the working directory.'),
});
export type GlobParams = z.output<typeof GlobParamsSchema>;

function description(workspace: string): string {
  return `Finds files by name pattern, fast, and lists their absolute paths, most recently modified first.
* Patterns: "*" within a name, "**" across directories, "{a,b}" alternatives, "[abc]" character sets. A pattern without "/" matches file names at any depth ("*.py" finds every Python file); one with "/" matches paths from the search directory ("src/**/*.ts").
* Files ignored by .gitignore, the .git directory and hidden files are skipped, unless the pattern names a hidden one (".github/**/*.yml").
* At most ${MAX_SEARCH_RESULTS} files are listed: narrow the pattern or pass a \`path\` when there are more.
* Use this tool to find files by name; use grep to find files by content.

Examples: "**/*.js" (all JavaScript files), "src/**/*.ts" (TypeScript files under src), "**/test_*.py" (Python test files), "**/*.{json,yaml,yml,toml}" (configuration files).

Your current working directory is: ${workspace}
Relative patterns and paths are taken from this directory.`;
}

const GLOB_WIRE: ToolWire = {
  toolKind: 'GlobTool',
  actionKind: 'GlobAction',
  observationKind: 'GlobObservation',
  annotations: { title: 'glob', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/** The `glob` tool: file names by pattern, .gitignore honoured. */
export const globTool: ToolProvider = {
  name: 'glob',
  inline: true,
  paramsSchema: NoToolParamsSchema,
  create: (environment) => createGlobTool(environment),
};

export function createGlobTool(environment: ToolEnvironment): ToolDefinition<typeof GlobParamsSchema> {
  return defineTool({
    name: 'glob',
    description: description(environment.workspace),
    parameters: GlobParamsSchema,
    wire: GLOB_WIRE,
    execute: (args, context) => glob(args, context),
  });
}

async function glob(args: GlobParams, context: ToolContext): Promise<ToolOutput> {
  const requested = args.path === undefined ? undefined : resolveSearchDirectory(context.workspace, args.path);
  const split = splitAbsolutePattern(args.pattern.trim() === '' ? '**/*' : args.pattern.trim());
  if (requested !== undefined && split.directory !== undefined && !isWithin(requested, split.directory)) {
    return errorOutput(
      `The absolute pattern '${args.pattern}' lies outside the search path '${requested}'. Give the pattern relative to the path, or leave the path out.`,
      { files: [], pattern: args.pattern, search_path: requested },
    );
  }
  const searchPath = split.directory ?? requested ?? context.workspace;
  const data = { pattern: args.pattern, search_path: searchPath };
  if (!(await isDirectory(searchPath))) {
    return errorOutput(`Search path '${searchPath}' is not a valid directory`, { ...data, files: [], truncated: false });
  }

  const matches = pathMatcher(split.pattern, split.directory !== undefined);
  const walk = await walkFiles(searchPath, {
    includeHidden: mentionsHiddenSegment(split.pattern),
    signal: context.signal,
    deadline: Date.now() + SEARCH_TIME_LIMIT_MS,
  });
  const found = await newestFirst(walk.files.filter((file) => matches(file.relativePath)).map((file) => file.path));
  const files = found.slice(0, MAX_SEARCH_RESULTS).map((file) => file.path);
  const truncated = found.length > MAX_SEARCH_RESULTS;

  const summary =
    files.length === 0
      ? `No files found matching pattern '${args.pattern}' in directory '${searchPath}'`
      : `Found ${files.length} file(s) matching pattern '${args.pattern}' in '${searchPath}'`;
  const notes = [...(truncated ? [TRUNCATED_NOTE] : []), ...(walk.complete ? [] : [partialNote(context.signal)])];
  return { content: searchReport(summary, files, notes), data: { ...data, files, truncated } };
}
