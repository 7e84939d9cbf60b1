import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('client tools', () => {
  it('run on the main thread with validated arguments; the model sees the result', async () => {
    const calls: unknown[] = [];
    const lookup = defineTool({
      name: 'lookup_user',
      description: 'Looks a user up in the main process.',
      parameters: z.object({ name: z.string() }),
      readOnly: true,
      execute: ({ name }) => {
        calls.push({ name, mainThread: true });
        return `${name} is an admin`;
      },
    });
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), clientTools: [lookup] });
    server.setScript(conversation.id, [
      mock.toolCall('lookup_user', { name: 'ada' }),
      mock.toolCall('lookup_user', { name: 42 }),
      mock.finish('done'),
    ]);
    await conversation.sendMessage('who is ada?');
    expect(await conversation.run()).toBe('finished');
    expect(calls).toEqual([{ name: 'ada', mainThread: true }]);
    const events = await conversation.getEvents();
    const observations = events.filter((e) => e.kind === 'ObservationEvent');
    // A custom tool is an MCP tool on OpenHands' wire.
    expect(observations[0]).toMatchObject({ observation: { kind: 'MCPToolObservation', content: [{ type: 'text', text: 'ada is an admin' }], is_error: false, tool_name: 'lookup_user' } });
    // Invalid arguments take the runtime's own error path, as for a local tool: one error result, one header.
    const errors = events.filter((e) => e.kind === 'AgentErrorEvent');
    expect(errors).toEqual([expect.objectContaining({ tool_name: 'lookup_user', error: "Error validating tool 'lookup_user': name: Invalid input: expected string, received number. Parameters provided: [name]" })]);
    const tools = server.requestsFor(conversation.id)[0]!.body.tools as { function: { name: string } }[];
    expect(tools.map((t) => t.function.name)).toContain('lookup_user');
    await conversation.close();
  });

  it('interrupt cancels a running client tool through its AbortSignal', async () => {
    let aborted = false;
    const wait = defineTool({
      name: 'wait_for_human',
      description: 'Waits for a human.',
      parameters: z.object({}),
      execute: (_args, { signal }) =>
        new Promise<string>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve('cancelled');
          });
        }),
    });
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), clientTools: [wait] });
    server.setScript(conversation.id, [mock.toolCall('wait_for_human', {}), mock.finish('done')]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await expect.poll(async () => (await conversation.getEvents()).some((e) => e.kind === 'ActionEvent')).toBe(true);
    await conversation.interrupt();
    expect(await run).toBe('paused');
    await expect.poll(() => aborted).toBe(true);
    await conversation.close();
  });
});
