import {
  allFinished,
  benchAgent,
  newSupervisor,
  type Row,
  runActors,
  runInProcess,
  MEMORY_ONLY,
  MEMORY_ONLY_NOTE,
  type Scenario,
  startBenchMock,
  stepsScript,
  tempDir,
} from '../harness.js';
import { cpuSince, MB, round, RssSampler, settledHeapUsed } from '../measure.js';

const STEPS = 10;
const LATENCY_MS = 50;

export const scaleScenario: Scenario = {
  name: 'scale',
  description: `N concurrent conversations × K=${STEPS} tool steps at L=${LATENCY_MS} ms per model call: wall/ideal, CPU per step, RSS, requests/s; actors on every core vs the same loop in-process on one thread.`,
  async run(context) {
    const sizes = context.tiny ? [1, 20] : context.quick ? [1, 50] : [1, 100, 1_000, 10_000];
    // The in-process baseline is run up to this N (it is the comparison the target names at N=1,000).
    const inProcessUpTo = context.tiny ? 20 : context.quick ? 50 : 1_000;
    const mock = await startBenchMock({ latencyMs: LATENCY_MS, defaultScript: stepsScript(STEPS) });
    const workspace = tempDir('troupe-bench-scale-');
    const agent = benchAgent(mock.url);
    const supervisor = newSupervisor(context.threads);
    const calls = STEPS + 1;
    const idealMs = calls * LATENCY_MS;
    const rows: Row[] = [];
    try {
      // Warm the threads (modules loaded, connections open) so the baseline RSS includes them.
      await runActors({ supervisor, agent, n: context.threads * 4, workspace: workspace.path, ...MEMORY_ONLY });
      await runInProcess(agent, 4, workspace.path);
      for (const n of sizes) {
        const baselineHeap = await settledHeapUsed();
        const baselineRss = process.memoryUsage.rss();
        let idleRss = 0;
        let idleHeap = 0;
        let cpu = process.cpuUsage();
        let sampler: RssSampler | undefined;
        const actors = await runActors({
          supervisor,
          agent,
          n,
          workspace: workspace.path,
          ...MEMORY_ONLY,
          onIdle: async () => {
            idleHeap = await settledHeapUsed(2);
            idleRss = process.memoryUsage.rss();
          },
          onStart: () => {
            cpu = process.cpuUsage();
            sampler = new RssSampler();
          },
        });
        const cpuUs = cpuSince(cpu);
        const peakRss = sampler!.stop();
        if (!allFinished(actors.statuses)) throw new Error(`scale N=${n}: not every conversation finished: ${JSON.stringify(actors.statuses)}`);
        const row: Row = {
          n,
          wall_ms: round(actors.wallMs, 0),
          ideal_ms: idealMs,
          wall_over_ideal: round(actors.wallMs / idealMs, 2),
          cpu_us_per_step: round(cpuUs / (n * calls), 0),
          peak_rss_mb: round(peakRss / MB, 1),
          rss_per_conversation_kb: round((peakRss - baselineRss) / n / 1024, 1),
          idle_rss_per_conversation_kb: round((idleRss - baselineRss) / n / 1024, 1),
          idle_main_heap_per_conversation_kb: round((idleHeap - baselineHeap) / n / 1024, 1),
          requests_per_s: round((n * calls) / (actors.wallMs / 1000), 0),
          in_process_wall_over_ideal: null,
          in_process_cpu_us_per_step: null,
        };
        if (n <= inProcessUpTo) {
          const inCpu = process.cpuUsage();
          const inProcess = await runInProcess(agent, n, workspace.path);
          if (!allFinished(inProcess.statuses)) throw new Error(`scale N=${n} in-process: ${JSON.stringify(inProcess.statuses)}`);
          row.in_process_wall_over_ideal = round(inProcess.wallMs / idealMs, 2);
          row.in_process_cpu_us_per_step = round(cpuSince(inCpu) / (n * calls), 0);
        }
        rows.push(row);
        context.log(`scale: N=${n} wall/ideal ${row.wall_over_ideal} (in-process ${row.in_process_wall_over_ideal ?? '–'}), ${row.cpu_us_per_step} µs CPU/step, ${row.idle_main_heap_per_conversation_kb} KB main-thread heap (${row.idle_rss_per_conversation_kb} KB RSS)/idle conversation`);
      }
      const largest = rows.at(-1)!;
      const compared = [...rows].reverse().find((row) => row.in_process_wall_over_ideal !== null)!;
      return {
        name: 'scale',
        description: this.description,
        params: { sizes, steps: STEPS, model_calls_per_conversation: calls, latency_ms: LATENCY_MS, threads: context.threads, in_process_up_to: inProcessUpTo },
        figures: {
          max_n: largest.n as number,
          wall_over_ideal_at_max_n: largest.wall_over_ideal as number,
          cpu_us_per_step_at_max_n: largest.cpu_us_per_step as number,
          idle_rss_per_conversation_kb_at_max_n: largest.idle_rss_per_conversation_kb as number,
          idle_main_heap_per_conversation_kb_at_max_n: largest.idle_main_heap_per_conversation_kb as number,
          requests_per_s_at_max_n: largest.requests_per_s as number,
          compared_n: compared.n as number,
          wall_over_ideal_at_compared_n: compared.wall_over_ideal as number,
          in_process_wall_over_ideal_at_compared_n: compared.in_process_wall_over_ideal as number,
        },
        rows,
        notes: [
          `ideal = ${calls} model calls × ${LATENCY_MS} ms: the wall time with infinitely fast code.`,
          'RSS is the whole bench process (main + worker threads); per conversation = (RSS − RSS before the conversations) / N. idle = created and ready, not yet run; peak = during the run.',
          'idle main-thread heap = (the main thread\'s heap used after forced GCs with the conversations idle − before they were made) / N: what the handles cost where the application runs.',
          `Actors on ${context.threads} thread(s); in-process = the same ConversationRuntime loop on the main thread only.`,
          MEMORY_ONLY_NOTE,
        ],
      };
    } finally {
      await supervisor.close();
      await mock.close();
      workspace.remove();
    }
  },
};
