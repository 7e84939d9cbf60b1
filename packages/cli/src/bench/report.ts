import { cpus, totalmem, type } from 'node:os';
import { renderTable } from '../shared/table.js';
import type { ScenarioResult } from './harness.js';
import type { GoalVerdict } from './performance-goals.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memory_gb: number;
  os: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memory_gb: Math.round(totalmem() / 1024 ** 3),
    os: `${type()} ${process.arch}`,
    node: process.version,
  };
}

export interface BenchReport {
  command: string;
  date: string;
  machine: MachineInfo;
  quick: boolean;
  /** By scenario name; a scenario that threw has `error` instead of figures. */
  scenarios: Record<string, ScenarioResult | { name: string; error: string }>;
  /** The performance goals judged on this run's figures. */
  goals: GoalVerdict[];
}

/** A scenario's table and its notes, for the terminal. */
export function renderScenario(result: ScenarioResult): string {
  const columns = [...new Set(result.rows.flatMap((row) => Object.keys(row)))];
  const table = renderTable(
    columns,
    result.rows.map((row) => columns.map((column) => formatCell(row[column]))),
  );
  const figures = Object.entries(result.figures)
    .map(([key, value]) => `${key}=${formatCell(value)}`)
    .join('  ');
  return [`== ${result.name}: ${result.description}`, table, figures, ...result.notes.map((note) => `  · ${note}`)].join('\n');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '–';
  return String(value);
}
