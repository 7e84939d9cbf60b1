import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ConfigError } from './errors.js';

/** The variable that sets how many handles of each kind a thread keeps open (tests, or a tight descriptor limit). */
export const FILE_HANDLES_VARIABLE = 'TROUPE_FILE_HANDLES_KEPT';

const MOST_KEPT = 1_024;
const FEWEST_KEPT = 32;
/** Where the process's descriptor limit is unknown (not Linux). */
const KEPT_WHEN_LIMIT_UNKNOWN = 256;

/**
 * How many handles of each kind (appends, in-place rewrites) one thread keeps open. A write
 * without a kept handle opens and closes the file, which costs the worker more CPU than the
 * write itself; but kept handles must leave most descriptors to sockets and the application.
 * So each of the two kinds on each thread (one thread per core, as the supervisor's default) gets
 * a sixteenth of the soft limit per core, between 32 and 1,024.
 */
export function fileHandlesKept(env: Readonly<Record<string, string | undefined>>, descriptorLimit: number | undefined, cores: number): number {
  const given = env[FILE_HANDLES_VARIABLE];
  if (given !== undefined) {
    const kept = Number(given);
    if (!Number.isInteger(kept) || kept < 1) throw new ConfigError(`${FILE_HANDLES_VARIABLE} must be a positive integer, got "${given}". Unset it to derive the number from the descriptor limit.`);
    return kept;
  }
  if (descriptorLimit === undefined) return KEPT_WHEN_LIMIT_UNKNOWN;
  return Math.max(FEWEST_KEPT, Math.min(MOST_KEPT, Math.floor(descriptorLimit / (16 * cores))));
}

/** The soft limit on open descriptors of this process, where the system says it (Linux's /proc). */
export function descriptorLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((row) => row.startsWith('Max open files'));
    const soft = line ? Number(line.split(/\s{2,}/)[1]) : Number.NaN;
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}

/** This process's number: each thread computes it when it loads the module. */
export const FILE_HANDLES_KEPT = fileHandlesKept(process.env, descriptorLimit(), availableParallelism());
