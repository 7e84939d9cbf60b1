import { getHeapStatistics } from 'node:v8';
import type { ResourceLimits } from 'node:worker_threads';

/**
 * The old generation's cap of a worker thread unless the supervisor's `resourceLimits` set one, in
 * MB. V8 lets a heap grow to up to 4× its live data between full collections when its cap is 2 GB
 * or more, and about 2× below it: many conversations' short-lived request state then costs half the
 * memory (at 1,000 running conversations, about 140 MB less). Never above this process's own limit.
 */
const WORKER_OLD_GENERATION_MB = 2047;

/**
 * The young generation's cap of a worker thread (V8's default is 48 MB): a model call's request
 * and reply state lives for one call, and a smaller nursery leaves less of it resident at once.
 */
const WORKER_YOUNG_GENERATION_MB = 24;

/** The worker threads' limits: the given ones, with the generations capped as above unless they set them. */
export function workerResourceLimits(given: ResourceLimits | undefined): ResourceLimits {
  const processLimitMb = Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);
  return { maxOldGenerationSizeMb: Math.min(WORKER_OLD_GENERATION_MB, processLimitMb), maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, ...given };
}
