// A small MCP server for the mcp-tools example, written with the MCP SDK's server side: it keeps
// notes in memory and speaks stdio (the agent starts it as a process).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const notes = [];
const server = new McpServer({ name: 'notes', version: '1.0.0' });
server.registerTool('add_note', { description: 'Adds a note.', inputSchema: { text: z.string() } }, async ({ text }) => {
  notes.push(text);
  return { content: [{ type: 'text', text: `Noted (${notes.length} so far).` }] };
});
server.registerTool('list_notes', { description: 'Lists the notes.', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({
  content: [{ type: 'text', text: notes.length === 0 ? 'No notes.' : notes.map((note, index) => `${index + 1}. ${note}`).join('\n') }],
}));
await server.connect(new StdioServerTransport());
