/**
 * Tools of the bench's agents. Worker threads import this module by URL (from dist), and the
 * in-process baselines import it directly, so both run exactly the same code.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defineTool } from '@troupe/core';
import { z } from 'zod';
import { burnCpu, NOOP_RESULT } from './bench-tool-work.js';

export const BENCH_TOOLS_MODULE = new URL('./bench-tools.js', import.meta.url).href;

/** Does nothing: the step's cost is the runtime's alone (inline: it never blocks, so it skips the tool thread). */
export const noopTool = defineTool({
  name: 'noop',
  description: 'Does nothing and returns "ok".',
  parameters: z.object({}),
  readOnly: true,
  inline: true,
  execute: () => NOOP_RESULT,
});

/** Burns `ms` of CPU on the thread that runs it (a busy loop), like a CPU-heavy tool: in its actor thread's tool thread, the default. */
export const burnTool = defineTool({
  name: 'burn',
  description: 'Busy-loops for ms milliseconds of CPU.',
  parameters: z.object({ ms: z.number().nonnegative() }),
  readOnly: true,
  execute: ({ ms }) => burnCpu(ms),
});

let gc: (() => void) | undefined;

/**
 * Runs a full GC on the thread it runs on and reports that thread's heap (the leak scenario reads
 * worker heaps this way): inline, so that it measures the actor's thread.
 */
export const heapStatsTool = defineTool({
  name: 'heap_stats',
  description: 'Reports the heap of the thread it runs on, after a full GC.',
  parameters: z.object({}),
  readOnly: true,
  inline: true,
  execute: async () => {
    if (!gc) {
      gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
      }
    }
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    gc();
    const heap = getHeapStatistics();
    return JSON.stringify({ used_heap_size: heap.used_heap_size, total_heap_size: heap.total_heap_size });
  },
});
