import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Durability } from '@troupe/core';
import { allFinished, benchAgent, newSupervisor, type Row, runActors, type Scenario, startBenchMock, stepsScript, tempDir } from '../harness.js';
import { cpuSince, round } from '../measure.js';

const STEPS = 10;

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : statSync(path).size;
  }
  return total;
}

export const persistenceScenario: Scenario = {
  name: 'persistence',
  description: `Durability modes at N conversations × K=${STEPS} tool steps (model answers at once): wall, CPU per step, disk per conversation.`,
  async run(context) {
    const n = context.tiny ? 10 : context.quick ? 20 : 100;
    const mock = await startBenchMock({ latencyMs: 0, defaultScript: stepsScript(STEPS) });
    const workspace = tempDir('troupe-bench-persist-ws-');
    const agent = benchAgent(mock.url);
    const supervisor = newSupervisor(context.threads);
    const calls = STEPS + 1;
    /** memory: `persistenceDir: false`; default: no persistenceDir, so the supervisor's own directory (durability none). */
    const modes: (Durability | 'memory' | 'default')[] = ['memory', 'default', 'none', 'step', 'event'];
    const label = (mode: (typeof modes)[number]) => (mode === 'memory' ? 'memory only' : mode === 'default' ? 'default (supervisor dir)' : mode);
    const rows: Row[] = [];
    try {
      await runActors({ supervisor, agent, n: context.threads * 4, workspace: workspace.path, persistenceDir: false });
      for (const mode of modes) {
        const dir = tempDir('troupe-bench-persist-');
        try {
          const cpu = process.cpuUsage();
          const run = await runActors({
            supervisor,
            agent,
            n,
            workspace: workspace.path,
            ...(mode === 'memory' ? { persistenceDir: false } : mode === 'default' ? {} : { persistenceDir: dir.path, durability: mode }),
          });
          const cpuUs = cpuSince(cpu);
          if (!allFinished(run.statuses)) throw new Error(`persistence ${mode}: ${JSON.stringify(run.statuses)}`);
          rows.push({
            durability: label(mode),
            conversations: n,
            wall_ms: round(run.wallMs, 0),
            steps_per_s: round((n * calls) / (run.wallMs / 1000), 0),
            cpu_us_per_step: round(cpuUs / (n * calls), 0),
            // The supervisor's own directory is removed as each conversation closes.
            disk_kb_per_conversation: mode === 'memory' ? 0 : mode === 'default' ? null : round(bytesUnder(dir.path) / n / 1024, 1),
          });
          context.log(`persistence: ${label(mode)} ${round(run.wallMs, 0)} ms`);
        } finally {
          dir.remove();
        }
      }
      const figure = (mode: string, key: string) => rows.find((row) => row.durability === mode)![key] as number;
      return {
        name: 'persistence',
        description: this.description,
        params: { conversations: n, steps: STEPS, model_calls_per_conversation: calls, latency_ms: 0, threads: context.threads },
        figures: {
          wall_ms_not_persisted: figure('memory only', 'wall_ms'),
          wall_ms_default: figure('default (supervisor dir)', 'wall_ms'),
          wall_ms_none: figure('none', 'wall_ms'),
          wall_ms_step: figure('step', 'wall_ms'),
          wall_ms_event: figure('event', 'wall_ms'),
          cpu_us_per_step_not_persisted: figure('memory only', 'cpu_us_per_step'),
          cpu_us_per_step_default: figure('default (supervisor dir)', 'cpu_us_per_step'),
          cpu_us_per_step_step: figure('step', 'cpu_us_per_step'),
          disk_kb_per_conversation: figure('step', 'disk_kb_per_conversation'),
        },
        rows,
        notes: [
          'none: written at step boundaries without fsync; step (the default with a persistenceDir): fsync at step boundaries, before side effects and acks; event: fsync after every event.',
          "memory only: persistenceDir: false (lost if its thread dies). default: no persistenceDir, so kept in the supervisor's own directory with durability none (survives its thread's death, removed on close).",
        ],
      };
    } finally {
      await supervisor.close();
      await mock.close();
      workspace.remove();
    }
  },
};
