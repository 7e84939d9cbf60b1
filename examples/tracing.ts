// OpenTelemetry: an agent's run, steps, model calls and tool calls as spans, printed by the
// console exporter. Troupe uses only @opentelemetry/api (a no-op until a provider is registered);
// conversations run on worker threads, so the provider is registered there (`workerImports`).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, totalCost } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel({ latencyMs: 50 });
const supervisor = new Supervisor({ threads: 1, workerImports: [new URL('./tracing-setup.mjs', import.meta.url).href] });
const workspace = mkdtempSync(join(tmpdir(), 'troupe-tracing-'));
const agent = new Agent({ llm: model.llm, tools: [{ name: 'terminal' }] });
const conversation = supervisor.conversation({ agent, workspace });
model.script(conversation.id, [mock.toolCall('terminal', { command: 'echo traced' }, { text: 'Running echo.' }), mock.finish('Ran echo.')]);

console.log(`Model: ${model.description}`);
console.log(`Conversation ${conversation.id}: each span below carries it as troupe.conversation.id.\n`);
await conversation.sendMessage('Run echo traced, then finish.');
const status = await conversation.run();
console.log(`\nStatus: ${status}; cost $${totalCost(conversation.stats).toFixed(6)}`);
await conversation.close();
await supervisor.close();
await model.close();
