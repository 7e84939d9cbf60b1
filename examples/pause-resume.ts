// Pause and resume (OpenHands example 09): pause a running agent, change the task, resume with run().
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Conversation } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel({ latencyMs: 400 });
const workspace = mkdtempSync(join(tmpdir(), 'troupe-pause-'));
const agent = new Agent({ llm: model.llm, tools: [{ name: 'terminal' }, { name: 'file_editor' }] });
const conversation = new Conversation({ agent, workspace });
const countdown = join(workspace, 'countdown.txt');
model.script(conversation.id, [
  ...Array.from({ length: 10 }, (_, i) =>
    mock.toolCall('terminal', { command: `seq ${100 - i * 10} -1 ${91 - i * 10} >> ${countdown}` }, { text: `Writing ${100 - i * 10} down to ${91 - i * 10}.` }),
  ),
  mock.toolCall('file_editor', { command: 'create', path: join(workspace, 'hello.txt'), file_text: 'Hello, World!' }),
  mock.finish('Stopped the countdown and created hello.txt.'),
]);
console.log(`Model: ${model.description}\nWorkspace: ${workspace}\n`);

console.log('Phase 1: starting a long task…');
await conversation.sendMessage('Create countdown.txt with the numbers from 100 down to 1, one per line. Then summarise.');
console.log(`Initial status: ${conversation.status}`);
const run = conversation.run();

await new Promise((resolve) => setTimeout(resolve, 2_000));
console.log('Phase 2: pausing (the current step finishes first)…');
await conversation.pause();
console.log(`Status after pause: ${await run}`);

console.log('Phase 3: sending a new message while paused…');
await conversation.sendMessage("Stop the countdown. Instead create hello.txt containing 'Hello, World!'.");

console.log('Phase 4: resuming with run()…');
console.log(`Final status: ${await conversation.run()}`);
await conversation.close();
await model.close();
