import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineTool } from '../src/index.js';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

function lastToolMessages(conversationId: string): string[] {
  const request = server.requestsFor(conversationId).at(-1)!;
  return (request.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'tool').map((m) => m.content);
}

describe('bad model output never crashes a run', () => {
  it('an unknown tool becomes an error the model sees, listing the tools; the run continues', async () => {
    const c = createConversation(mockLLM(server), [echoTool()]);
    server.setScript(c.runtime.id, [mock.toolCall('teleport', { to: 'mars' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const action = c.runtime.events.find((e) => e.kind === 'ActionEvent');
    expect(action).toMatchObject({ action: null, tool_name: 'teleport' });
    expect(lastToolMessages(c.runtime.id)[0]).toBe("Tool 'teleport' not found. Available: [echo, finish, think]");
  });

  it('invalid arguments name the keys, not the values', async () => {
    const c = createConversation(mockLLM(server), [echoTool()]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 42, secret_value: 'hunter2' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const error = lastToolMessages(c.runtime.id)[0]!;
    expect(error).toMatch(/^Error validating tool 'echo': text: .*Parameters provided: \[text, secret_value\]$/);
    expect(error).not.toContain('hunter2');
  });

  it('unparseable JSON arguments are reported and the history stays valid JSON', async () => {
    const c = createConversation(mockLLM(server), [echoTool()]);
    server.setScript(c.runtime.id, [mock.toolCall('echo', '{"text": "unterminated'), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(lastToolMessages(c.runtime.id)[0]).toBe("Error validating tool 'echo': Arguments: unparseable JSON");
    const request = server.requestsFor(c.runtime.id).at(-1)!;
    const call = (request.body.messages as { tool_calls?: { function: { arguments: string } }[] }[]).find((m) => m.tool_calls)!;
    expect(() => JSON.parse(call.tool_calls![0]!.function.arguments)).not.toThrow();
  });

  it('aliases, raw control characters and stringified lists are repaired', async () => {
    const seen: unknown[] = [];
    const listTool = defineTool({
      name: 'terminal',
      description: 'd',
      parameters: z.object({ command: z.string(), ranges: z.array(z.number()).optional() }),
      execute: (args) => {
        seen.push(args);
        return 'ok';
      },
    });
    const c = createConversation(mockLLM(server), [listTool]);
    server.setScript(c.runtime.id, [
      mock.toolCall('execute_bash', '{"command": "echo a\nb", "ranges": "[1, 2]", "security_risk": "LOW"}'),
      mock.finish('done'),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(seen).toEqual([{ command: 'echo a\nb', ranges: [1, 2] }]);
    expect(c.runtime.events.find((e) => e.kind === 'ActionEvent')).toMatchObject({ tool_name: 'terminal', security_risk: 'LOW' });
  });

  it('a tool that throws becomes an error result; the other calls of the batch run', async () => {
    const calls: string[] = [];
    const boom = defineTool({
      name: 'boom',
      description: 'Always fails.',
      parameters: z.object({}),
      execute: () => {
        throw new Error('kaput');
      },
    });
    const c = createConversation(mockLLM(server), [boom, echoTool(calls)]);
    server.setScript(c.runtime.id, [
      mock.toolCalls([
        { name: 'boom', arguments: {} },
        { name: 'echo', arguments: { text: 'still runs' } },
      ]),
      mock.finish('done'),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(calls).toEqual(['still runs']);
    expect(lastToolMessages(c.runtime.id)).toEqual(["Error executing tool 'boom': kaput", 'echo: still runs']);
  });

  it('a tool reporting a failure is shown to the model after the error header, once', async () => {
    const refuse = defineTool({
      name: 'refuse',
      description: 'Always refuses.',
      parameters: z.object({}),
      execute: () => ({ content: 'No such file.', isError: true }),
    });
    const c = createConversation(mockLLM(server), [refuse]);
    server.setScript(c.runtime.id, [mock.toolCall('refuse', {}), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(lastToolMessages(c.runtime.id)).toEqual(['[An error occurred during execution.]\nNo such file.']);
  });

  it('calls after finish in the same response are not executed and not left pending', async () => {
    const calls: string[] = [];
    const c = createConversation(mockLLM(server), [echoTool(calls)]);
    server.setScript(c.runtime.id, [
      mock.toolCalls([
        { name: 'finish', arguments: { message: 'done' } },
        { name: 'echo', arguments: { text: 'too late' } },
      ]),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    expect(calls).toEqual([]);
    expect(c.runtime.events.filter((e) => e.kind === 'AgentErrorEvent')).toHaveLength(1);
  });

  it('an empty reply is nudged and the loop goes on', async () => {
    const c = createConversation(mockLLM(server), []);
    server.setScript(c.runtime.id, [mock.empty(), mock.text('now with words')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
    const last = server.requestsFor(c.runtime.id).at(-1)!;
    expect(JSON.stringify(last.body.messages)).toContain('did not include a function call');
  });
});
