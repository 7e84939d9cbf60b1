import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** CPU time of this process (all its threads, so worker threads count) since `start`, in µs. */
export function cpuSince(start: NodeJS.CpuUsage): number {
  const delta = process.cpuUsage(start);
  return delta.user + delta.system;
}

/** Nearest-rank percentile of `samples` (p in 0..100); NaN when empty. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface SampleSummary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export function summarizeSamples(samples: readonly number[]): SampleSummary {
  const n = samples.length;
  return {
    n,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: n === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / n,
    max: n === 0 ? Number.NaN : Math.max(...samples),
  };
}

/** Samples RSS every `intervalMs` and keeps the peak (plus the current value on stop). */
export class RssSampler {
  #peak = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(intervalMs = 25) {
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  #sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.#peak) this.#peak = rss;
  }

  /** Peak RSS in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.#sample();
    return this.#peak;
  }
}

let gcFunction: (() => void) | undefined;

/** A full GC of the main thread's heap: `global.gc` (node --expose-gc), else enabled at run time. */
export function getGc(): () => void {
  if (gcFunction) return gcFunction;
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return (gcFunction = existing);
  setFlagsFromString('--expose-gc');
  gcFunction = runInNewContext('gc') as () => void;
  return gcFunction;
}

/** Several GCs with turns of the event loop in between (finalizers, weak refs), then the heap in bytes. */
export async function settledHeapUsed(rounds = 4): Promise<number> {
  const gc = getGc();
  for (let i = 0; i < rounds; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

export const MB = 1024 * 1024;
export const round = (value: number, digits = 2): number => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
