import type { Row } from '../harness.js';
import { MB, percentile, round } from '../measure.js';
import type { PeerResult, PeerRunnerName } from './peer-task.js';

/** The peers table: medians per runner and workload, and the ratios to the plain loop and the AI SDK. */

export const WORKLOADS = ['small', 'large', 'cpu_tools'] as const;
export type WorkloadKey = (typeof WORKLOADS)[number];

export interface WorkloadRuns {
  workload: WorkloadKey;
  n: number;
  modelCallsPerConversation: number;
  /** The wall time with infinitely fast code on this machine. */
  idealMs: number;
  /** Every run of each runner, in run order. */
  runs: Partial<Record<PeerRunnerName, PeerResult[]>>;
}

interface RunnerMedians {
  wallMs: number;
  cpuMsPerCall: number;
  peakRssMb: number;
}

function mediansOf(results: readonly PeerResult[], modelCalls: number): RunnerMedians {
  const median = (values: number[]) => percentile(values, 50);
  return {
    wallMs: median(results.map((result) => result.wallMs)),
    cpuMsPerCall: median(results.map((result) => result.cpuUs / 1000 / modelCalls)),
    peakRssMb: median(results.map((result) => result.peakRssBytes / MB)),
  };
}

export interface PeerSummary {
  rows: Row[];
  figures: Record<string, number | null>;
}

/** Rows (one per workload and runner) and the headline figures (Troupe against each peer, per workload). */
export function summarizePeers(workloads: readonly WorkloadRuns[], labels: Record<PeerRunnerName, string>): PeerSummary {
  const rows: Row[] = [];
  const figures: Record<string, number | null> = {};
  for (const workload of workloads) {
    const modelCalls = workload.n * workload.modelCallsPerConversation;
    const medians = new Map<PeerRunnerName, RunnerMedians>();
    for (const [runner, results] of Object.entries(workload.runs) as [PeerRunnerName, PeerResult[]][]) medians.set(runner, mediansOf(results, modelCalls));
    const ratioTo = (wallMs: number, peer: PeerRunnerName) => {
      const peerWall = medians.get(peer)?.wallMs;
      return peerWall === undefined ? null : round(wallMs / peerWall, 2);
    };
    for (const [runner, median] of medians) {
      rows.push({
        workload: workload.workload,
        n: workload.n,
        runner: labels[runner],
        runs: workload.runs[runner]!.length,
        wall_ms: round(median.wallMs, 0),
        wall_over_ideal: round(median.wallMs / workload.idealMs, 2),
        vs_loop: ratioTo(median.wallMs, 'openai-loop'),
        vs_ai_sdk: ratioTo(median.wallMs, 'ai-sdk'),
        cpu_ms_per_call: round(median.cpuMsPerCall, 2),
        peak_rss_mb: round(median.peakRssMb, 0),
      });
    }
    const troupe = medians.get('troupe');
    figures[`${workload.workload}_n`] = workload.n;
    figures[`troupe_wall_over_ideal_${workload.workload}`] = troupe ? round(troupe.wallMs / workload.idealMs, 2) : null;
    for (const peer of medians.keys()) {
      if (peer === 'troupe') continue;
      figures[`troupe_vs_${peer.replaceAll('-', '_')}_${workload.workload}`] = troupe ? ratioTo(troupe.wallMs, peer) : null;
    }
    figures[`troupe_cpu_ms_per_call_${workload.workload}`] = troupe ? round(troupe.cpuMsPerCall, 2) : null;
    figures[`loop_cpu_ms_per_call_${workload.workload}`] = medians.has('openai-loop') ? round(medians.get('openai-loop')!.cpuMsPerCall, 2) : null;
    figures[`troupe_peak_rss_mb_${workload.workload}`] = troupe ? round(troupe.peakRssMb, 0) : null;
  }
  return { rows, figures };
}
