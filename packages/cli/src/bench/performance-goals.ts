import type { ScenarioResult } from './harness.js';

/**
 * Troupe's performance goals, each judged on one figure of one scenario (a fixed limit, or another
 * figure of the same run). Pure: the bench command prints the verdicts after the scenarios ran.
 */

interface Goal {
  text: string;
  scenario: string;
  figure: string;
  /** A number, or the name of the figure (same scenario) that is the limit. */
  atMost: number | string;
  unit: string;
}

export const PERFORMANCE_GOALS: readonly Goal[] = [
  { text: 'N=1,000 × K=10: wall ≤ 0.7× the single-thread openai loop', scenario: 'peers', figure: 'troupe_vs_openai_loop_large', atMost: 0.7, unit: '×' },
  { text: 'N=1,000 × K=10: wall ≤ 0.5× the AI SDK', scenario: 'peers', figure: 'troupe_vs_ai_sdk_large', atMost: 0.5, unit: '×' },
  { text: 'N=100 × K=10: wall ≤ 1.0× the single-thread openai loop', scenario: 'peers', figure: 'troupe_vs_openai_loop_small', atMost: 1, unit: '×' },
  { text: "N=1,000: CPU per model call ≤ the openai loop's", scenario: 'peers', figure: 'troupe_cpu_ms_per_call_large', atMost: 'loop_cpu_ms_per_call_large', unit: ' ms' },
  { text: 'N=1,000: peak RSS ≤ 450 MB', scenario: 'peers', figure: 'troupe_peak_rss_mb_large', atMost: 450, unit: ' MB' },
  { text: 'tools burning 5 ms of CPU, N=100: wall/ideal ≤ 1.5', scenario: 'peers', figure: 'troupe_wall_over_ideal_cpu_tools', atMost: 1.5, unit: '' },
  { text: 'per-step CPU of one actor ≤ 1.1× the same runtime in-process', scenario: 'overhead', figure: 'troupe_vs_in_process', atMost: 1.1, unit: '×' },
  { text: 'idle conversation ≤ 10 KB on the main thread (heap)', scenario: 'scale', figure: 'idle_main_heap_per_conversation_kb_at_max_n', atMost: 10, unit: ' KB' },
  { text: 'interrupt() p99 under saturation ≤ 20 ms', scenario: 'control', figure: 'interrupt_p99_ms', atMost: 20, unit: ' ms' },
];

export interface GoalVerdict {
  goal: string;
  scenario: string;
  /** The figure against its limit, e.g. `0.62× (limit 0.7×)`; why not judged otherwise. */
  measured: string;
  /** null: not judged in this run. */
  met: boolean | null;
}

type ScenarioOutcome = ScenarioResult | { name: string; error: string };

/** The verdict on every goal from the scenarios of one bench run; `--quick` sizes are not judged (the goals name their N). */
export function judgeGoals(scenarios: Record<string, ScenarioOutcome>, quick: boolean): GoalVerdict[] {
  return PERFORMANCE_GOALS.map((goal) => {
    const verdict = (measured: string, met: boolean | null): GoalVerdict => ({ goal: goal.text, scenario: goal.scenario, measured, met });
    const result = scenarios[goal.scenario];
    if (result === undefined) return verdict(`not measured in this run (troupe bench --scenario ${goal.scenario})`, null);
    if ('error' in result) return verdict(`the ${goal.scenario} scenario failed`, null);
    if (quick) return verdict('not judged at --quick sizes', null);
    const value = result.figures[goal.figure];
    const limit = typeof goal.atMost === 'number' ? goal.atMost : result.figures[goal.atMost];
    if (typeof value !== 'number' || typeof limit !== 'number') return verdict(`figure ${goal.figure} or its limit is missing`, null);
    return verdict(`${value}${goal.unit} (limit ${limit}${goal.unit})`, value <= limit);
  });
}

/** The verdicts for the terminal; nothing when no scenario of a goal ran. */
export function renderGoals(verdicts: readonly GoalVerdict[], scenarios: Record<string, ScenarioOutcome>): string {
  if (!verdicts.some((verdict) => verdict.scenario in scenarios)) return '';
  const mark = (met: boolean | null) => (met === null ? '  –   ' : met ? '  met ' : 'MISSED');
  return ['== goals (Troupe)', ...verdicts.map((verdict) => `  ${mark(verdict.met)} ${verdict.goal}: ${verdict.measured}`)].join('\n');
}
