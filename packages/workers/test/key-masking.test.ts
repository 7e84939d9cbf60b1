import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('keys and secrets never reach what is recorded', () => {
  it("an API key a provider echoes in its error is masked in events, the last error, and on disk", async () => {
    const key = 'sk-live-echoed-by-the-provider-1234';
    const dir = tempDir();
    const conversation = supervisor.conversation({ agent: mockAgent(server, [], { apiKey: key, maxRetries: 0 }), workspace: tempDir(), persistenceDir: dir });
    server.setScript(conversation.id, [{ ...mock.text('never'), faults: [{ type: 'http_error', status: 401, message: `Incorrect API key provided: ${key}` }] }]);
    await conversation.sendMessage('hello');
    expect(await conversation.run()).toBe('error');
    const recorded = [
      JSON.stringify(await conversation.getEvents()),
      JSON.stringify(conversation.state.lastError),
      JSON.stringify(await conversation.snapshot()),
      readFileSync(join(dir, conversation.id, 'events.jsonl'), 'utf8'),
      readFileSync(join(dir, conversation.id, 'state.json'), 'utf8'),
    ].join('\n');
    expect(recorded).toContain('Incorrect API key provided: <secret-hidden>');
    expect(recorded).not.toContain(key);
    await conversation.close();
  });

  it('a message queued while running, and a title, are stored masked', async () => {
    const dir = tempDir();
    const conversation = supervisor.conversation({ agent: mockAgent(server), workspace: tempDir(), persistenceDir: dir, secrets: { DEPLOY_TOKEN: 'tok-0123456789-secret' } });
    server.setScript(conversation.id, [mock.text('working', { latencyMs: 400 }), mock.text('done')]);
    await conversation.sendMessage('start');
    const run = conversation.run();
    await server.waitForRequests(1, { conversationId: conversation.id });
    expect((await conversation.sendMessage('the token is tok-0123456789-secret')).queued).toBe(true);
    // Acknowledged while running: the queue is in state.json now, and masked there.
    const queuedState = readFileSync(join(dir, conversation.id, 'state.json'), 'utf8');
    expect(queuedState).toContain('the token is <secret-hidden>');
    expect(queuedState).not.toContain('tok-0123456789-secret');
    await run;
    await conversation.setTitle('Deploy with tok-0123456789-secret');
    const state = readFileSync(join(dir, conversation.id, 'state.json'), 'utf8');
    expect(state).toContain('Deploy with <secret-hidden>');
    expect(state + readFileSync(join(dir, conversation.id, 'events.jsonl'), 'utf8')).not.toContain('tok-0123456789-secret');
    await conversation.close();
  });
});
