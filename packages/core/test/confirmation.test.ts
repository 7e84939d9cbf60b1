import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '../src/testing/index.js';
import { createConversation, echoTool, mockLLM, useMockServer } from './helpers.js';

let server: MockServer;
useMockServer((s) => (server = s));

describe('confirmation policy', () => {
  it('always: waits for confirmation, run() approves and executes the pending action', async () => {
    const calls: string[] = [];
    const c = createConversation(mockLLM(server), [echoTool(calls)], { confirmationPolicy: 'always' });
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'rm -rf' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('waiting_for_confirmation');
    expect(calls).toEqual([]);
    expect(await c.runtime.approve()).toBe('finished');
    expect(calls).toEqual(['rm -rf']);
    expect(server.requestsFor(c.runtime.id)).toHaveLength(2);
  });

  it('reject: the action gets a UserRejectObservation, status idle, the model sees the reason', async () => {
    const calls: string[] = [];
    const c = createConversation(mockLLM(server), [echoTool(calls)], { confirmationPolicy: 'always' });
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'x' }), mock.finish('ok, not doing it')]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    expect(await c.runtime.rejectPendingActions('too risky')).toBe(1);
    expect(c.runtime.status).toBe('idle');
    expect(await c.runtime.run()).toBe('finished');
    expect(calls).toEqual([]);
    const second = server.requestsFor(c.runtime.id)[1]!;
    expect(JSON.stringify(second.body.messages)).toContain('Action rejected: too risky');
  });

  it('read-only tools (finish, think) never need confirmation', async () => {
    const c = createConversation(mockLLM(server), [], { confirmationPolicy: 'always' });
    server.setScript(c.runtime.id, [mock.toolCall('think', { thought: 'hmm' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('finished');
  });

  it('risky: LOW runs, HIGH waits, an omitted risk counts as unknown and waits', async () => {
    const calls: string[] = [];
    const c = createConversation(mockLLM(server), [echoTool(calls)], { confirmationPolicy: 'risky' });
    server.setScript(c.runtime.id, [
      mock.toolCall('echo', { text: 'low', security_risk: 'LOW' }),
      mock.toolCall('echo', { text: 'high', security_risk: 'HIGH' }),
      mock.toolCall('echo', { text: 'unknown' }),
      mock.finish('done'),
    ]);
    await c.runtime.sendMessage('go');
    expect(await c.runtime.run()).toBe('waiting_for_confirmation');
    expect(calls).toEqual(['low']);
    expect(await c.runtime.run()).toBe('waiting_for_confirmation');
    expect(calls).toEqual(['low', 'high']);
    expect(await c.runtime.run()).toBe('finished');
    expect(calls).toEqual(['low', 'high', 'unknown']);
  });

  it('pause keeps waiting_for_confirmation; a message while waiting keeps the action pending', async () => {
    const calls: string[] = [];
    const c = createConversation(mockLLM(server), [echoTool(calls)], { confirmationPolicy: 'always' });
    server.setScript(c.runtime.id, [mock.toolCall('echo', { text: 'a' }), mock.finish('done')]);
    await c.runtime.sendMessage('go');
    await c.runtime.run();
    await c.runtime.pause();
    expect(c.runtime.status).toBe('waiting_for_confirmation');
    await c.runtime.sendMessage('by the way');
    await c.runtime.setConfirmationPolicy('never');
    expect(await c.runtime.run()).toBe('finished');
    expect(calls).toEqual(['a']);
    // The tool result still follows its call in what the model saw.
    const messages = server.requestsFor(c.runtime.id)[1]!.body.messages as { role: string }[];
    const roles = messages.map((m) => m.role);
    expect(roles.indexOf('tool')).toBe(roles.indexOf('assistant') + 1);
  });
});
