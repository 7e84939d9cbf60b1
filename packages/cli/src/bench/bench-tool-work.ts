/**
 * What the bench's tools do, without `@troupe/core`: the Troupe tools (bench-tools.ts) and the peers
 * (peers/peer-tools.ts) run this same code, and a peer's process loads no Troupe module.
 */

/** The answer of the `noop` tool. */
export const NOOP_RESULT = 'ok';

/** Busy-loops for `ms` of CPU on the calling thread, like a CPU-heavy tool. */
export function burnCpu(ms: number): string {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x++;
  return `burned ${ms} ms (${x} turns)`;
}
