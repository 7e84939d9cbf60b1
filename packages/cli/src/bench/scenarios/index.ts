import type { Scenario } from '../harness.js';
import { controlScenario } from './control.js';
import { cpuToolsScenario } from './cpu-tools.js';
import { leakScenario } from './leak.js';
import { overheadScenario } from './overhead.js';
import { peersScenario } from './peers.js';
import { persistenceScenario } from './persistence.js';
import { promptCacheScenario } from './prompt-cache.js';
import { scaleScenario } from './scale.js';

/** Every scenario, in the order `troupe bench` runs them. */
export const SCENARIOS: readonly Scenario[] = [overheadScenario, scaleScenario, cpuToolsScenario, controlScenario, persistenceScenario, leakScenario];

/** Scenarios run only when named (`--scenario`, or `--peers`): they need a fixture, or run the peer SDKs. */
export const ON_REQUEST_SCENARIOS: readonly Scenario[] = [promptCacheScenario, peersScenario];
