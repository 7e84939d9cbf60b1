import type { Scenario } from '../harness.js';
import { controlScenario } from './control.js';
import { cpuToolsScenario } from './cpu-tools.js';
import { leakScenario } from './leak.js';
import { overheadScenario } from './overhead.js';
import { peersScenario } from './peers.js';
import { persistenceScenario } from './persistence.js';
import { scaleScenario } from './scale.js';

/** Every scenario, in the order `troupe bench` runs them (the opt-in ones only when named: `--peers`). */
export const SCENARIOS: readonly Scenario[] = [overheadScenario, scaleScenario, cpuToolsScenario, controlScenario, persistenceScenario, leakScenario, peersScenario];
