import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool, type ToolContext, type ToolDefinition, type ToolEnvironment, type ToolOutput, type ToolProvider, type ToolWire, NoToolParamsSchema } from '@troupe/core';
import { errorOutput } from '../error-output.js';
import { BINARY_SNIFF_BYTES, looksBinary } from '../file-editor/text-file.js';
import { IO_BATCH, newestFirst, type DatedFile } from './newest-first.js';
import { MAX_SEARCH_RESULTS, SEARCH_TIME_LIMIT_MS, TRUNCATED_NOTE, partialNote, searchReport } from './search-report.js';
import { isDirectory, mentionsHiddenSegment, pathMatcher, resolveSearchDirectory } from './search-paths.js';
import { walkFiles } from './workspace-walk.js';

/** Larger files are not searched: one regular expression over them would hold the thread others share. */
export const MAX_GREP_FILE_MB = 5;
const MAX_GREP_FILE_BYTES = MAX_GREP_FILE_MB * 1024 * 1024;

export const GrepParamsSchema = z.object({
  pattern: z
    .string()
    .describe('The regular expression to search file contents for (JavaScript syntax, case-insensitive), e.g. "log.*Error" or "function\\s+\\w+".'),
  path: z
    .string()
    .optional()
    .describe('The directory to search in: absolute, or relative to the working directory. Defaults to the working directory.'),
  include: z
    .string()
    .optional()
    .describe('Only search files matching this glob, e.g. "*.js" or "*.{ts,tsx}" (a glob without "/" matches file names at any depth).'),
});
export type GrepParams = z.output<typeof GrepParamsSchema>;

function description(workspace: string): string {
  return `Finds the files whose content matches a regular expression, fast, and lists their absolute paths, most recently modified first.
* The pattern is a case-insensitive JavaScript regular expression, e.g. "log.*Error" or "function\\s+\\w+"; "^" and "$" match at line boundaries.
* Narrow the files searched with \`include\`, e.g. "*.js" or "*.{ts,tsx}".
* Files ignored by .gitignore, the .git directory, hidden files, binary files and files over ${MAX_GREP_FILE_MB} MB are skipped.
* At most ${MAX_SEARCH_RESULTS} files are listed: use a stricter pattern, \`include\` or \`path\` when there are more.
* Use this tool to find which files contain something; then view them with the file editor.

Your current working directory is: ${workspace}
Searches run in this directory unless \`path\` names another.`;
}

const GREP_WIRE: ToolWire = {
  toolKind: 'GrepTool',
  actionKind: 'GrepAction',
  observationKind: 'GrepObservation',
  annotations: { title: 'grep', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/** The `grep` tool: files by content, .gitignore honoured. */
export const grepTool: ToolProvider = {
  name: 'grep',
  inline: true,
  paramsSchema: NoToolParamsSchema,
  create: (environment) => createGrepTool(environment),
};

export function createGrepTool(environment: ToolEnvironment): ToolDefinition<typeof GrepParamsSchema> {
  return defineTool({
    name: 'grep',
    description: description(environment.workspace),
    parameters: GrepParamsSchema,
    wire: GREP_WIRE,
    execute: (args, context) => grep(args, context),
  });
}

async function grep(args: GrepParams, context: ToolContext): Promise<ToolOutput> {
  const searchPath = args.path === undefined ? context.workspace : resolveSearchDirectory(context.workspace, args.path);
  const data = { pattern: args.pattern, search_path: searchPath, include_pattern: args.include ?? null };
  if (!(await isDirectory(searchPath))) {
    return errorOutput(`Search path '${searchPath}' is not a valid directory`, { ...data, matches: [], truncated: false });
  }
  let regex: RegExp;
  try {
    regex = new RegExp(args.pattern, 'im');
  } catch (error) {
    return errorOutput(`Invalid regex pattern: ${(error as Error).message}`, { ...data, matches: [], truncated: false });
  }

  const deadline = Date.now() + SEARCH_TIME_LIMIT_MS;
  const include = args.include === undefined ? () => true : pathMatcher(args.include);
  const walk = await walkFiles(searchPath, {
    includeHidden: args.include !== undefined && mentionsHiddenSegment(args.include),
    signal: context.signal,
    deadline,
  });
  const candidates = await newestFirst(walk.files.filter((file) => include(file.relativePath)).map((file) => file.path));
  const scan = await scanNewestFirst(candidates, regex, context.signal, deadline);
  const matches = scan.matches.slice(0, MAX_SEARCH_RESULTS);
  const truncated = scan.matches.length > MAX_SEARCH_RESULTS;

  const filtered = args.include === undefined ? '' : ` (filtered by '${args.include}')`;
  const summary =
    matches.length === 0
      ? `No files found containing pattern '${args.pattern}' in directory '${searchPath}'${filtered}`
      : `Found ${matches.length} file(s) containing pattern '${args.pattern}' in '${searchPath}'${filtered}`;
  const notes = [
    ...(truncated ? [TRUNCATED_NOTE] : []),
    ...(scan.tooLarge > 0 ? [`[${scan.tooLarge} file(s) larger than ${MAX_GREP_FILE_MB} MB were not searched.]`] : []),
    ...(walk.complete && scan.complete ? [] : [partialNote(context.signal)]),
  ];
  return { content: searchReport(summary, matches, notes), data: { ...data, matches, truncated } };
}

/**
 * Reads the candidates newest first, a batch at a time, and stops once one more file than can be
 * listed has matched: the listed files are then exactly the newest matching ones.
 */
async function scanNewestFirst(
  candidates: readonly DatedFile[],
  regex: RegExp,
  signal: AbortSignal,
  deadline: number,
): Promise<{ matches: string[]; tooLarge: number; complete: boolean }> {
  const matches: string[] = [];
  let tooLarge = 0;
  for (let start = 0; start < candidates.length && matches.length <= MAX_SEARCH_RESULTS; start += IO_BATCH) {
    if (signal.aborted || Date.now() > deadline) return { matches, tooLarge, complete: false };
    const batch = candidates.slice(start, start + IO_BATCH);
    const verdicts = await Promise.all(batch.map((file) => (file.size > MAX_GREP_FILE_BYTES ? 'too-large' : contentMatches(file.path, regex))));
    verdicts.forEach((verdict, index) => {
      if (verdict === 'too-large') tooLarge += 1;
      else if (verdict) matches.push(batch[index]!.path);
    });
  }
  return { matches, tooLarge, complete: true };
}

async function contentMatches(path: string, regex: RegExp): Promise<boolean> {
  const bytes = await readFile(path).catch(() => undefined);
  if (bytes === undefined || looksBinary(bytes.subarray(0, BINARY_SNIFF_BYTES))) return false;
  return regex.test(bytes.toString('utf8'));
}
