// MCP tools (OpenHands example 07): the agent gets the tools of an MCP server it starts over stdio
// (here a small notes server written with the MCP SDK); the same config takes `{ url, headers }`
// for a remote server over streamable HTTP or SSE.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, contentText } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import { Conversation } from '@troupe/workers';
import { exampleModel } from './example-model.js';

const model = await exampleModel();
const notesServer = fileURLToPath(new URL('./mcp-notes-server.mjs', import.meta.url));
const agent = new Agent({
  llm: model.llm,
  mcpConfig: { mcpServers: { notes: { command: process.execPath, args: [notesServer] } } },
});
const conversation = new Conversation({ agent, workspace: mkdtempSync(join(tmpdir(), 'troupe-mcp-')) });
model.script(conversation.id, [
  mock.toolCall('add_note', { text: 'MCP servers start with the conversation' }),
  mock.toolCall('add_note', { text: 'and close with it' }),
  mock.toolCall('list_notes', {}),
  mock.finish('I wrote two notes and listed them.'),
]);

console.log(`Model: ${model.description}\n=== MCP tools ===`);
await conversation.sendMessage('Write two notes about MCP servers with the notes tools, then list them.');
console.log(`Final status: ${await conversation.run()}`);
for (const event of await conversation.getEvents()) {
  if (event.kind === 'ObservationEvent' && event.observation.kind === 'MCPToolObservation') {
    console.log(`${event.tool_name}: ${contentText(event.observation.content.slice(1))}`);
  }
}
await conversation.close();
await model.close();
