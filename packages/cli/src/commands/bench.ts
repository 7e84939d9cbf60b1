import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ScenarioContext } from '../bench/harness.js';
import { judgeGoals, renderGoals } from '../bench/performance-goals.js';
import { type BenchReport, machineInfo, renderScenario } from '../bench/report.js';
import { ON_REQUEST_SCENARIOS, SCENARIOS } from '../bench/scenarios/index.js';

export interface BenchCommandOptions {
  quick?: boolean;
  tiny?: boolean;
  scenario?: string;
  /** Also run the peers scenario (alone when no --scenario is given). */
  peers?: boolean;
  json?: string;
  threads?: number;
  trajectory?: string;
}

/** `troupe bench`: runs the scenarios against the mock model in its own process; a table each, optionally JSON. Exit 1 if one failed. */
export async function benchCommand(options: BenchCommandOptions): Promise<number> {
  const wanted = [...(options.scenario?.split(',').map((name) => name.trim()).filter(Boolean) ?? []), ...(options.peers ? ['peers'] : [])];
  const all = [...SCENARIOS, ...ON_REQUEST_SCENARIOS];
  const unknown = wanted.filter((name) => !all.some((scenario) => scenario.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`Unknown scenario(s): ${unknown.join(', ')}. Scenarios: ${all.map((s) => s.name).join(', ')}.\n`);
    return 2;
  }
  const selected = wanted.length > 0 ? all.filter((scenario) => wanted.includes(scenario.name)) : SCENARIOS;
  const context: ScenarioContext = {
    quick: options.quick === true || options.tiny === true,
    tiny: options.tiny === true,
    threads: options.threads ?? availableParallelism(),
    ...(options.trajectory === undefined ? {} : { trajectoryDir: resolve(options.trajectory) }),
    log: (line) => process.stderr.write(`  ${line}\n`),
  };
  const report: BenchReport = {
    command: `troupe ${process.argv.slice(2).join(' ')}`,
    date: new Date().toISOString(),
    machine: machineInfo(),
    quick: context.quick,
    scenarios: {},
    goals: [],
  };
  const m = report.machine;
  process.stdout.write(`troupe bench${context.tiny ? ' --tiny' : context.quick ? ' --quick' : ''} on ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.os}, Node ${m.node}; mock model in its own process\n\n`);
  const started = performance.now();
  let failed = 0;
  for (const scenario of selected) {
    const scenarioStarted = performance.now();
    try {
      const result = await scenario.run(context);
      report.scenarios[scenario.name] = result;
      process.stdout.write(`${renderScenario(result)}\n  (${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s)\n\n`);
    } catch (error) {
      failed++;
      const message = error instanceof Error ? error.message : String(error);
      report.scenarios[scenario.name] = { name: scenario.name, error: message };
      process.stdout.write(`== ${scenario.name}: FAILED: ${message}\n\n`);
    }
  }
  report.goals = judgeGoals(report.scenarios, context.quick);
  const goals = renderGoals(report.goals, report.scenarios);
  if (goals) process.stdout.write(`${goals}\n\n`);
  process.stdout.write(`bench done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (options.json) {
    writeFileSync(resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`JSON: ${resolve(options.json)}\n`);
  }
  return failed > 0 ? 1 : 0;
}
