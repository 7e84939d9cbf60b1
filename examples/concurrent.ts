// Async and concurrent conversations (OpenHands example 11): several agents at once with Promise.all,
// an async callback collecting what the model was sent, all on worker threads.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Event, eventsToMessages, isLLMConvertible, totalCost } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel();
const agent = new Agent({ llm: model.llm, tools: [{ name: 'terminal' }, { name: 'file_editor' }, { name: 'task_tracker' }] });
const supervisor = new Supervisor();
const llmEvents = new Map<number, Event[]>();

async function runConversation(index: number): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), `troupe-async-${index}-`));
  const collected: Event[] = [];
  llmEvents.set(index, collected);
  const conversation = supervisor.conversation({
    agent,
    workspace,
    callbacks: [async (event) => { if (isLLMConvertible(event)) collected.push(event); }],
  });
  const file = join(workspace, 'hello.js');
  model.script(conversation.id, [
    mock.toolCall('task_tracker', { command: 'plan', task_list: [{ title: 'Create hello.js' }, { title: 'Delete it when asked' }] }),
    mock.toolCall('file_editor', { command: 'create', path: file, file_text: "console.log('Hello, World!');\n" }),
    mock.finish('Created hello.js.'),
    mock.toolCall('terminal', { command: `rm ${file}` }),
    mock.finish('Deleted hello.js.'),
  ]);
  await conversation.sendMessage("Hello! Create a new file hello.js that prints 'Hello, World!'. Use the task tracker to plan your steps.");
  await conversation.run();
  await conversation.sendMessage('Great! Now delete that file.');
  const status = await conversation.run();
  const cost = totalCost(conversation.stats);
  await conversation.close();
  return `conversation ${index}: ${status}, $${cost.toFixed(6)}, thread ${conversation.state.threadId}`;
}

console.log(`Model: ${model.description}\n`);
const results = await Promise.all([1, 2, 3].map(runConversation));
console.log(results.join('\n'));
console.log('='.repeat(80));
const messages = eventsToMessages(llmEvents.get(1)!);
console.log(`Conversation 1 sent the model ${messages.length} messages; the first few:`);
for (const [i, message] of messages.slice(0, 6).entries()) console.log(`Message ${i}: ${JSON.stringify(message).slice(0, 160)}`);
await supervisor.close();
await model.close();
