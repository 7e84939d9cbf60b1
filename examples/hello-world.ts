// Hello world: one agent with a terminal and a file editor writes and runs a program.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Event, totalCost } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Conversation } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel();
const workspace = mkdtempSync(join(tmpdir(), 'troupe-hello-'));
const agent = new Agent({ llm: model.llm, tools: [{ name: 'terminal' }, { name: 'file_editor' }] });

const conversation = new Conversation({ agent, workspace, callbacks: [(event) => console.log(describe(event))] });
model.script(conversation.id, [
  mock.toolCall('file_editor', { command: 'create', path: join(workspace, 'hello.js'), file_text: "console.log('Hello, World!');\n" }, { text: "I'll create hello.js." }),
  mock.toolCall('terminal', { command: 'node hello.js' }, { text: 'Now let me run it.' }),
  mock.finish('Created hello.js; running it prints "Hello, World!".'),
]);

console.log(`Model: ${model.description}`);
console.log(`Workspace: ${workspace}\n`);
await conversation.sendMessage('Create hello.js that prints "Hello, World!", then run it.');
const status = await conversation.run();
console.log(`\nStatus: ${status}; cost $${totalCost(conversation.stats).toFixed(6)}; events ${conversation.state.eventCount}`);
await conversation.close();
await model.close();

function describe(event: Event): string {
  switch (event.kind) {
    case 'MessageEvent':
      return `${event.source}: ${event.llm_message.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ')}`;
    case 'ActionEvent': {
      const thought = event.thought.map((part) => part.text).join(' ');
      return `${thought ? `agent: ${thought}\n` : ''}agent → ${event.tool_name} ${JSON.stringify(event.action)}`;
    }
    case 'ObservationEvent':
      return `  ← ${event.observation.content.map((part) => (part.type === 'text' ? part.text : '[image]')).join(' ').split('\n').join('\n    ')}`;
    case 'ConversationStateUpdateEvent':
      return `[status: ${String(event.value)}]`;
    default:
      return `[${event.kind}]`;
  }
}
