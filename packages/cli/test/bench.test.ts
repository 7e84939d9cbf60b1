import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli, tempDir } from './helpers.js';

/** The figures each scenario must report (the README and CI read them by these names). */
const FIGURES: Record<string, string[]> = {
  overhead: ['model_calls', 'troupe_cpu_us_per_step', 'in_process_cpu_us_per_step', 'bare_client_cpu_us_per_step', 'troupe_vs_in_process', 'troupe_vs_bare_client'],
  scale: ['max_n', 'wall_over_ideal_at_max_n', 'cpu_us_per_step_at_max_n', 'idle_rss_per_conversation_kb_at_max_n', 'idle_main_heap_per_conversation_kb_at_max_n', 'requests_per_s_at_max_n', 'compared_n', 'wall_over_ideal_at_compared_n', 'in_process_wall_over_ideal_at_compared_n'],
  'cpu-tools': ['wall_ms_1_thread', 'wall_ms_all_threads', 'wall_over_ideal_1_thread', 'wall_over_ideal_all_threads', 'speedup'],
  control: ['running_conversations', 'send_ack_p50_ms', 'send_ack_p99_ms', 'admission_p50_ms', 'admission_p99_ms', 'pause_p50_ms', 'pause_p99_ms', 'interrupt_p50_ms', 'interrupt_p99_ms'],
  persistence: ['wall_ms_not_persisted', 'wall_ms_default', 'wall_ms_none', 'wall_ms_step', 'wall_ms_event', 'cpu_us_per_step_not_persisted', 'cpu_us_per_step_step', 'disk_kb_per_conversation'],
  leak: ['conversations', 'main_heap_before_mb', 'main_heap_after_mb', 'main_heap_growth_pct', 'worker_heap_before_mb', 'worker_heap_after_mb', 'worker_heap_growth_pct', 'rss_before_mb', 'rss_after_mb', 'rss_growth_pct'],
};

/** The peers figures the goals are judged on. */
const PEERS_FIGURES = ['troupe_vs_openai_loop_large', 'troupe_vs_ai_sdk_large', 'troupe_vs_openai_loop_small', 'troupe_cpu_ms_per_call_large', 'loop_cpu_ms_per_call_large', 'troupe_peak_rss_mb_large', 'troupe_wall_over_ideal_cpu_tools'];

describe('troupe bench (smoke)', () => {
  it('--quick (test size) completes and its JSON has every scenario with its figures', async () => {
    const json = join(tempDir(), 'bench.json');
    // --tiny: the --quick path at the smallest sizes, to keep the suite fast on 2 cores.
    const { code, stdout, stderr } = await spawnCli(['bench', '--quick', '--tiny', '--json', json]).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.quick).toBe(true);
    expect(Object.keys(report.scenarios)).toEqual(Object.keys(FIGURES));
    for (const [name, figures] of Object.entries(FIGURES)) {
      const scenario = report.scenarios[name];
      expect(scenario.error, name).toBeUndefined();
      for (const figure of figures) expect(typeof scenario.figures[figure], `${name}.${figure}`).toBe('number');
      expect(scenario.rows.length, name).toBeGreaterThan(0);
    }
    for (const name of Object.keys(FIGURES)) expect(stdout).toContain(`== ${name}:`);
    expect(stdout).not.toContain('== peers:');
  }, 120_000);

  it('--peers (tiny) runs Troupe and every peer on each workload, with the ratio table and the goals', async () => {
    const json = join(tempDir(), 'peers.json');
    const { code, stdout, stderr } = await spawnCli(['bench', '--tiny', '--peers', '--json', json]).done;
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report.scenarios)).toEqual(['peers']);
    const peers = report.scenarios.peers;
    expect(peers.error).toBeUndefined();
    expect(peers.rows.map((row: { workload: string; runner: string }) => `${row.workload} ${row.runner.split(' ')[0]}`)).toEqual(
      ['small', 'large', 'cpu_tools'].flatMap((workload) => ['Troupe,', 'openai', 'openai', 'AI', 'OpenAI'].map((runner) => `${workload} ${runner}`)),
    );
    for (const row of peers.rows) for (const column of ['wall_ms', 'wall_over_ideal', 'vs_loop', 'vs_ai_sdk', 'cpu_ms_per_call', 'peak_rss_mb']) expect(typeof row[column], column).toBe('number');
    for (const figure of PEERS_FIGURES) expect(typeof peers.figures[figure], figure).toBe('number');
    expect(report.goals.map((goal: { scenario: string }) => goal.scenario)).toContain('peers');
    expect(stdout).toContain('== peers:');
    expect(stdout).toContain('== goals (Troupe)');
  }, 300_000);
});
