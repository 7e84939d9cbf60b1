import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/** How a task ended. `timeout` and `skipped` (batch budget reached) are the batch's own. */
export const TaskResultStatusSchema = z.enum(['finished', 'error', 'stuck', 'paused', 'waiting_for_confirmation', 'idle', 'timeout', 'skipped']);
export type TaskResultStatus = z.infer<typeof TaskResultStatusSchema>;

/** One line of the results file: written (flushed) as the task ends. snake_case, like every record that leaves the process. */
export const TaskResultSchema = z.object({
  id: z.string(),
  status: TaskResultStatusSchema,
  /** The agent's final message: the `finish` message, else its last text message. */
  final_message: z.string().nullable(),
  /** Model calls (agent steps) over the whole conversation, resumed runs included. */
  iterations: z.number().int().nonnegative(),
  tokens: z.object({
    prompt: z.number().int().nonnegative(),
    completion: z.number().int().nonnegative(),
    cache_read: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /** USD. */
  cost: z.number().nonnegative(),
  /** Wall time of this attempt. */
  duration_ms: z.number().nonnegative(),
  error: z.string().nullable(),
  /** `<persistence dir>/<id>/events.jsonl`, null when the task never started. */
  events_path: z.string().nullable(),
  model: z.string().nullable(),
  /** True when this attempt continued a persisted conversation. */
  resumed: z.boolean(),
  started_at: z.string().nullable(),
  ended_at: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type TaskResult = z.infer<typeof TaskResultSchema>;

/** Statuses after which `--resume` does not run a task again (`--retry-failed` keeps only `finished`). */
export function isSettled(result: TaskResult, retryFailed: boolean): boolean {
  if (result.status === 'finished') return true;
  if (retryFailed) return false;
  return result.status === 'error' || result.status === 'stuck' || result.status === 'timeout';
}

export interface ReadResults {
  /** The last result of each id. */
  byId: Map<string, TaskResult>;
  /** Lines that are not results (a torn last line after a kill): 1-based. */
  badLines: number[];
}

/** Reads a results file (missing file: empty). The last line of an id wins. */
export function readResults(path: string): ReadResults {
  const byId = new Map<string, TaskResult>();
  const badLines: number[] = [];
  if (!existsSync(path)) return { byId, badLines };
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        const result = TaskResultSchema.parse(JSON.parse(line));
        byId.set(result.id, result);
      } catch {
        badLines.push(index + 1);
      }
    });
  return { byId, badLines };
}

/**
 * Appends one JSON line per result with a single `write(2)`: once `append` returns, the line is in
 * the file (it survives a kill of this process), so `--resume` never redoes a reported task.
 */
export class ResultsWriter {
  readonly #fd: number;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.#fd = openSync(path, 'a');
    // A previous run killed mid-line would glue its torn line to ours: start on a fresh line.
    const text = readFileSync(path, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) writeSync(this.#fd, '\n');
  }

  append(result: TaskResult): void {
    writeSync(this.#fd, `${JSON.stringify(result)}\n`);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
