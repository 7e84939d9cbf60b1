import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { actionArguments, defineTool, finishTool, thinkTool, toObservation, ToolOutputError, type ToolWire, toToolDefinitionRecord, toWireAction } from '../src/index.js';

const echo = defineTool({ name: 'echo', description: 'Echoes.', parameters: z.object({ text: z.string() }), execute: ({ text }) => text });
const GLOB_LIKE: ToolWire = {
  toolKind: 'GlobTool',
  actionKind: 'GlobAction',
  observationKind: 'GlobObservation',
  annotations: { title: 'glob', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};
const glob = defineTool({ name: 'glob', description: 'Finds files.', parameters: z.object({ pattern: z.string() }), wire: GLOB_LIKE, execute: () => '' });

describe('a tool on OpenHands’ wire (pure)', () => {
  it('a built-in’s arguments are its action’s fields; a custom tool’s are MCP data; both read back as the arguments', () => {
    expect(toWireAction(glob, { pattern: '*.ts' })).toEqual({ kind: 'GlobAction', pattern: '*.ts' });
    expect(toWireAction(echo, { text: 'hi' })).toEqual({ kind: 'MCPToolAction', data: { text: 'hi' } });
    expect(actionArguments(toWireAction(glob, { pattern: '*.ts' }))).toEqual({ pattern: '*.ts' });
    expect(actionArguments(toWireAction(echo, { text: 'hi' }))).toEqual({ text: 'hi' });
  });

  it('a built-in’s observation is checked against OpenHands’ and comes out in its field order', () => {
    const observation = toObservation(glob, { content: 'Found 1 file', data: { truncated: false, search_path: '/w', pattern: '*.ts', files: ['/w/a.ts'] } });
    expect(JSON.stringify(observation)).toBe(
      JSON.stringify({ kind: 'GlobObservation', content: [{ type: 'text', text: 'Found 1 file' }], is_error: false, files: ['/w/a.ts'], pattern: '*.ts', search_path: '/w', truncated: false }),
    );
    expect(() => toObservation(glob, { content: 'x', data: { files: [], pattern: '*', search_path: '/w', working_dir: '/w' } })).toThrow(ToolOutputError);
    expect(() => toObservation(glob, 'no files field')).toThrow(/GlobObservation cannot hold: \(observation\)|files/);
  });

  it('a custom tool’s observation is an MCP one; observation fields from it are refused, naming them', () => {
    expect(toObservation(echo, { content: 'hi', isError: true })).toEqual({ kind: 'MCPToolObservation', content: [{ type: 'text', text: 'hi' }], is_error: true, tool_name: 'echo' });
    expect(() => toObservation(echo, { content: 'hi', data: { role: 'admin' } })).toThrow(/Tool 'echo' returned observation fields \(role\)/);
  });

  it('tool definitions: a built-in by its kinds and annotations, a custom tool as an MCP tool with its name and parameters', () => {
    expect(toToolDefinitionRecord(finishTool)).toMatchObject({ kind: 'FinishTool', action_type: 'FinishAction', observation_type: 'FinishObservation', title: 'finish' });
    // No annotation title: the name is the title, as OpenHands computes it.
    expect(toToolDefinitionRecord(thinkTool)).toMatchObject({ kind: 'ThinkTool', annotations: { readOnlyHint: true }, title: 'think' });
    expect(toToolDefinitionRecord(echo)).toMatchObject({
      kind: 'MCPToolDefinition',
      action_type: 'MCPToolAction',
      observation_type: 'MCPToolObservation',
      annotations: { readOnlyHint: false, destructiveHint: true },
      title: 'echo',
      mcp_tool: { name: 'echo', description: 'Echoes.', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } },
    });
  });

  it('readOnly follows the wire annotations; a contradiction is refused', () => {
    expect(glob.readOnly).toBe(true);
    expect(() => defineTool({ name: 'g', description: 'g', parameters: z.object({}), wire: GLOB_LIKE, readOnly: false, execute: () => '' })).toThrow(/contradicts its wire annotations/);
  });
});
