import { z } from 'zod';
import { BatchTaskSchema } from '../batch/task-file.js';

/** Name of the queue (and of its keys in Redis) when `--queue-name` is not given. */
export const DEFAULT_QUEUE_NAME = 'troupe';

/** A job of a distributed batch: the task, and the batch's settings that workers apply to it. */
export const QueueJobSchema = z.object({
  task: BatchTaskSchema,
  /** The batch's default model (`--model` of the coordinator); a task's own wins, the worker's is used when neither is set. */
  model: z.string().min(1).optional(),
  /** Per task: interrupted (and reported `timeout`) after this long. */
  timeoutMs: z.number().positive().optional(),
});
export type QueueJob = z.infer<typeof QueueJobSchema>;
