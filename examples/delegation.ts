// Delegation to sub-agents: a parent agent spawns three sub-agents and delegates a task to each; every
// task runs a one-second command. The sub-agents are conversations of their own on the supervisor's
// threads, so the delegation takes about one second, not three. Prints the wall time it took.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, contentText, subConversationId, totalCost } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel({ latencyMs: 50 });
const supervisor = new Supervisor();
const workspace = mkdtempSync(join(tmpdir(), 'troupe-delegation-'));
const names = ['lint', 'tests', 'docs'];
const parent = supervisor.conversation({
  agent: new Agent({ llm: model.llm, tools: [{ name: 'delegate' }, { name: 'terminal' }] }),
  workspace,
  agentDefinitions: [{ name: 'checker', description: 'Runs one check in the terminal and reports the result.', tools: ['terminal'] }],
});
model.script(parent.id, [
  mock.toolCall('delegate', { command: 'spawn', ids: names, agent_types: names.map(() => 'checker') }),
  mock.toolCall('delegate', { command: 'delegate', tasks: Object.fromEntries(names.map((name) => [name, `Run the ${name} check.`])) }),
  mock.finish('All three checks passed.'),
]);
for (const [index, name] of names.entries()) {
  model.script(subConversationId(parent.id, index, name), [mock.toolCall('terminal', { command: `sleep 1 && echo ${name} ok` }), mock.finish(`${name}: ok`)]);
}

// Wall time of each delegate call, from its action to its result (the sub-agents' terminals start during the second).
const took: number[] = [];
let callStarted = 0;
parent.on('event', (event) => {
  if (event.kind === 'ActionEvent' && event.tool_name === 'delegate') callStarted = performance.now();
  if (event.kind === 'ObservationEvent' && event.tool_name === 'delegate') took.push(performance.now() - callStarted);
});

console.log(`Model: ${model.description}`);
const started = performance.now();
await parent.sendMessage('Run the lint, tests and docs checks in parallel.');
const status = await parent.run();
const total = performance.now() - started;

const [, delegated] = (await parent.getEvents()).filter((event) => event.kind === 'ObservationEvent' && event.tool_name === 'delegate');
console.log(delegated?.kind === 'ObservationEvent' ? contentText(delegated.observation.content) : '(no delegation result)');
console.log(`\nParent: ${status}; sub-conversations ${parent.state.subConversationIds.join(', ')}`);
console.log(`Costs by usage id: ${Object.entries(parent.stats.usage_to_metrics).map(([id, m]) => `${id} $${m.accumulated_cost.toFixed(6)}`).join(', ')}; total $${totalCost(parent.stats).toFixed(6)}`);
const seconds = (ms: number | undefined) => `${((ms ?? 0) / 1000).toFixed(2)} s`;
console.log(`Wall time: spawning the three sub-agents ${seconds(took[0])}; delegating three 1-second tasks ${seconds(took[1])}; the whole run ${seconds(total)}.`);

await parent.close();
await supervisor.close();
await model.close();
