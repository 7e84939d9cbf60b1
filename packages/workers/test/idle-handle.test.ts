import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

// A handle makes what only a running or subscribed conversation needs on first use: these check
// that each still works when it is first needed.

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1, persistenceDir: false } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('an idle handle', () => {
  it('handles of one Agent show one agent, redacted, and a run changes nothing of it', async () => {
    const agent = mockAgent(server);
    const workspace = tempDir();
    const [first, second] = [0, 1].map(() => supervisor.conversation({ agent, workspace }));
    await Promise.all([first!.ready(), second!.ready()]);
    expect(first!.state.agent).toBe(second!.state.agent);
    expect(first!.state.agent).toEqual(await first!.snapshot().then((snapshot) => snapshot.agent));
    expect(JSON.stringify(first!.state.agent)).not.toContain('test-key');
    server.setScript(first!.id, [mock.finish('done')]);
    await first!.sendMessage('hi');
    expect(await first!.run()).toBe('finished');
    expect(first!.state.agent).toBe(second!.state.agent);
    // Another Agent's handles show their own.
    const other = supervisor.conversation({ agent: mockAgent(server, [], { model: 'openai/other-model' }), workspace });
    await other.ready();
    expect(other.state.agent?.llm.model).toBe('openai/other-model');
    expect(first!.state.agent?.llm.model).toBe('openai/mock-model');
    await Promise.all([first!.close(), second!.close(), other.close()]);
  });

  it('masks in client tool results the secrets given and those updated before the first call', async () => {
    const reveal = defineTool({
      name: 'reveal',
      description: 'Returns the secrets it knows.',
      parameters: z.object({}),
      readOnly: true,
      execute: () => 'first=alpha-secret-1 later=beta-secret-2',
    });
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), clientTools: [reveal], secrets: { FIRST: 'alpha-secret-1' } });
    await conversation.updateSecrets({ LATER: 'beta-secret-2' });
    server.setScript(conversation.id, [mock.toolCall('reveal', {}), mock.finish('done')]);
    await conversation.sendMessage('reveal');
    expect(await conversation.run()).toBe('finished');
    const observation = (await conversation.getEvents()).find((event) => event.kind === 'ObservationEvent');
    expect(JSON.stringify(observation)).toContain('first=<secret-hidden> later=<secret-hidden>');
    await conversation.close();
  });

  it('streams and event listeners added after ready get the events from then on', async () => {
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir() });
    await conversation.ready();
    server.setScript(conversation.id, [mock.finish('done')]);
    const heard: string[] = [];
    conversation.on('event', (event) => heard.push(event.kind));
    const stream = conversation.stream();
    await conversation.sendMessage('hi');
    expect(await conversation.run()).toBe('finished');
    const logged = (await conversation.getEvents()).map((event) => event.kind);
    // A live stream ends when its conversation closes.
    await conversation.close();
    const streamed: string[] = [];
    for await (const event of stream) streamed.push(event.kind);
    expect(streamed).toEqual(logged);
    expect(heard).toEqual(logged);
  });
});
