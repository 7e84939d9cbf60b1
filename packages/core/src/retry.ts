export interface BackoffPolicy {
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * How long to wait before retry number `retry` (1-based): the server's `Retry-After` when it gave
 * one (never longer than `maxDelayMs`: a server asking for an hour does not stall a run for an
 * hour), else exponential backoff with "equal jitter" (half fixed, half random) so that many
 * conversations hitting the same limit do not retry in lockstep.
 */
export function backoffDelay(retry: number, policy: BackoffPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxDelayMs);
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (retry - 1));
  return exponential / 2 + (random() * exponential) / 2;
}

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function parseRetryAfter(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
