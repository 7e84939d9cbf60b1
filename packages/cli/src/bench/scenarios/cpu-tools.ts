import { mock } from '@troupe/core/testing';
import { allFinished, benchAgent, newSupervisor, type Row, runActors, type Scenario, startBenchMock, tempDir } from '../harness.js';
import { round } from '../measure.js';

const BURN_MS = 5;
/** Tool calls per model reply: amortises the loop's own CPU per step over several tool calls. */
const CALLS_PER_STEP = 4;

export const cpuToolsScenario: Scenario = {
  name: 'cpu-tools',
  description: `Conversations whose tools burn ${BURN_MS} ms of CPU each: wall/ideal on 1 thread vs every core.`,
  async run(context) {
    const n = context.quick ? 8 : 64;
    const steps = context.quick ? 5 : 10;
    const script = [
      ...Array.from({ length: steps }, () => mock.toolCalls(Array.from({ length: CALLS_PER_STEP }, () => ({ name: 'burn', arguments: { ms: BURN_MS } })))),
      mock.finish('done'),
    ];
    const mockServer = await startBenchMock({ latencyMs: 0, defaultScript: script });
    const workspace = tempDir('troupe-bench-cpu-');
    const agent = benchAgent(mockServer.url, ['burn']);
    const rows: Row[] = [];
    const threadCounts = [...new Set([1, context.threads])];
    try {
      for (const threads of threadCounts) {
        const supervisor = newSupervisor(threads);
        try {
          await runActors({ supervisor, agent, n: threads * 2, workspace: workspace.path });
          const run = await runActors({ supervisor, agent, n, workspace: workspace.path });
          if (!allFinished(run.statuses)) throw new Error(`cpu-tools: ${JSON.stringify(run.statuses)}`);
          const toolCalls = n * steps * CALLS_PER_STEP;
          const idealMs = (toolCalls * BURN_MS) / threads;
          rows.push({ threads, tool_calls: toolCalls, wall_ms: round(run.wallMs, 0), ideal_ms: round(idealMs, 0), wall_over_ideal: round(run.wallMs / idealMs, 2) });
          context.log(`cpu-tools: ${threads} thread(s) ${round(run.wallMs, 0)} ms (ideal ${round(idealMs, 0)} ms)`);
        } finally {
          await supervisor.close();
        }
      }
      const one = rows[0]!;
      const all = rows.at(-1)!;
      return {
        name: 'cpu-tools',
        description: this.description,
        params: { conversations: n, steps, tool_calls_per_step: CALLS_PER_STEP, burn_ms: BURN_MS, threads: threadCounts },
        figures: {
          wall_ms_1_thread: one.wall_ms as number,
          wall_ms_all_threads: all.wall_ms as number,
          wall_over_ideal_1_thread: one.wall_over_ideal as number,
          wall_over_ideal_all_threads: all.wall_over_ideal as number,
          speedup: round((one.wall_ms as number) / (all.wall_ms as number), 2),
        },
        rows,
        notes: [
          `ideal = conversations × steps × ${CALLS_PER_STEP} calls × ${BURN_MS} ms / threads (the tools' CPU alone, spread over the threads). The model answers at once.`,
          "The burn tool runs where a module tool runs by default: in its actor thread's tool thread (one per actor thread), so the tools' CPU is spread over as many threads as there are actor threads.",
        ],
      };
    } finally {
      await mockServer.close();
      workspace.remove();
    }
  },
};
