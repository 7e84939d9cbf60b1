// Send a message while the agent runs (OpenHands example 18): the message is admitted at the next
// step boundary and always seen by the model.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Conversation } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel();
const workspace = mkdtempSync(join(tmpdir(), 'troupe-send-'));
const agent = new Agent({ llm: model.llm, tools: [{ name: 'terminal' }, { name: 'file_editor' }] });
const conversation = new Conversation({ agent, workspace });
const time = () => new Date().toTimeString().slice(0, 8);
const document = join(workspace, 'document.txt');
const start = time();
model.script(conversation.id, [
  mock.toolCall('terminal', { command: `echo "Message 1 sent at ${start}, written at $(date +%T)." > ${document}` }),
  mock.toolCall('terminal', { command: 'sleep 3' }),
  mock.toolCall('terminal', { command: `echo "Message 2 sent at ${start}, written at $(date +%T)." >> ${document}` }),
  // The model saw message 3 (sent during the sleep) in this request.
  mock.toolCall('terminal', { command: `echo "Message 3 sent at MESSAGE3_TIME, written at $(date +%T)." >> ${document}` }),
  mock.finish('All three lines are in document.txt.'),
]);

console.log(`Model: ${model.description}\n=== Send Message While Processing ===`);
await conversation.sendMessage(
  `Create document.txt and write 'Message 1 sent at ${start}, written at [CURRENT_TIME].' Then wait 3 seconds and write 'Message 2 sent at ${start}, written at [CURRENT_TIME].'`,
);
const run = conversation.run();
await new Promise((resolve) => setTimeout(resolve, 2_000));
const second = time();
const ack = await conversation.sendMessage(`Please also add: 'Message 3 sent at ${second}, written at [CURRENT_TIME].'`);
console.log(`Sent message 3 at ${second} while the agent was busy (queued: ${ack.queued}).`);
console.log(`Final status: ${await run}`);
console.log(`\nDocument contents:\n${readFileSync(document, 'utf8').replace('MESSAGE3_TIME', second)}`);
await conversation.close();
await model.close();
