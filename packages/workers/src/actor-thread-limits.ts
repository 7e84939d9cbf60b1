import type { ResourceLimits } from 'node:worker_threads';

/**
 * V8 lets a heap grow to four times what survived its last full GC when its old generation may
 * reach 2 GB or more, and to about twice below that. An actor thread's heap is mostly short-lived
 * step data (a request waits ~50 ms for its reply, long enough to be promoted), so at four times
 * it swells with garbage: 1,000 running conversations on two threads peaked near 520 MB, against
 * 380 MB at twice, for the same CPU (at 10,000, about 4 % more CPU for a peak ~20 % lower). So the
 * old generation stops just below 2 GB where the
 * machine's default is larger (a thread holding more dies alone; see `resourceLimits`).
 */
export const LEAN_OLD_GENERATION_MB = 2_047;

/** A young generation of 24 MB (8 MB semi-spaces) instead of 48: ~40 MB less at 1,000 conversations, at no measurable CPU cost. */
export const LEAN_YOUNG_GENERATION_MB = 24;

/** The limits of each actor thread: the lean defaults, then each limit the supervisor was given. */
export function actorThreadLimits(given: ResourceLimits | undefined, defaultHeapLimitMb: number): ResourceLimits {
  return {
    maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB,
    ...(defaultHeapLimitMb > LEAN_OLD_GENERATION_MB ? { maxOldGenerationSizeMb: LEAN_OLD_GENERATION_MB } : {}),
    ...given,
  };
}
