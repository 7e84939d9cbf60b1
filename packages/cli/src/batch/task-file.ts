import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * One line of a batch's tasks file (JSONL). The id becomes the conversation id and a directory
 * name under the persistence dir, so it is restricted to characters safe in both.
 */
export const TaskIdSchema = z
  .union([z.string(), z.number().int().nonnegative().transform(String)])
  .pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit'),
  );

export const BatchTaskSchema = z.strictObject({
  id: TaskIdSchema,
  prompt: z.string().min(1, 'must not be empty'),
  /** Where the task's tools work. Default: `<workspace root>/<id>`. */
  workspace: z.string().min(1).optional(),
  /** Overrides `--model` for this task. */
  model: z.string().min(1).optional(),
  maxIterations: z.number().int().positive().optional(),
  /** Copied as-is into the task's result line. */
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type BatchTask = z.output<typeof BatchTaskSchema>;

export interface InvalidTaskLine {
  /** 1-based line number in the file. */
  line: number;
  message: string;
}

export interface ParsedTaskFile {
  tasks: BatchTask[];
  /** Line number of each task, by id. */
  lines: Map<string, number>;
  invalid: InvalidTaskLine[];
}

/**
 * Parses a tasks file: one JSON object a line; blank lines and lines starting with `#` or `//`
 * are ignored. Every bad line (not JSON, schema violation, duplicate id) is reported with its
 * line number and left out; the good lines are all kept.
 */
export function parseTaskFile(text: string): ParsedTaskFile {
  const tasks: BatchTask[] = [];
  const lines = new Map<string, number>();
  const invalid: InvalidTaskLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('//')) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      invalid.push({ line, message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    const parsed = BatchTaskSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(line)'}: ${issue.message}`);
      invalid.push({ line, message: issues.join('; ') });
      return;
    }
    const first = lines.get(parsed.data.id);
    if (first !== undefined) {
      invalid.push({ line, message: `duplicate id "${parsed.data.id}" (first on line ${first})` });
      return;
    }
    lines.set(parsed.data.id, line);
    tasks.push(parsed.data);
  });
  return { tasks, lines, invalid };
}

export async function readTaskFile(path: string): Promise<ParsedTaskFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the tasks file ${path}: ${(error as Error).message}`);
  }
  return parseTaskFile(text);
}
