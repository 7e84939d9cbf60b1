import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Event } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

const terminalAgent = () => mockAgent(server, [{ name: 'terminal' }, { name: 'file_editor' }, { name: 'task_tracker' }]);

function observationTexts(events: Event[]): string[] {
  return events.flatMap((e) => (e.kind === 'ObservationEvent' ? [e.observation.content.map((c) => (c.type === 'text' ? c.text : '')).join('')] : []));
}

describe('built-in tools inside actors', () => {
  it('two conversations on the same thread have separate shells and working directories', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const first = supervisor.conversation({ agent: terminalAgent(), workspace: a });
    const second = supervisor.conversation({ agent: terminalAgent(), workspace: b });
    server.setScript(first.id, [mock.toolCall('terminal', { command: 'cd / && export SHARED=leaked' }), mock.toolCall('terminal', { command: 'pwd; echo "x=$SHARED"' }), mock.finish('done')]);
    server.setScript(second.id, [mock.toolCall('terminal', { command: 'sleep 0.2' }), mock.toolCall('terminal', { command: 'pwd; echo "x=$SHARED"' }), mock.finish('done')]);
    await Promise.all([first, second].map(async (c) => { await c.sendMessage('go'); return c.run(); }));
    expect(first.state.threadId).toBe(second.state.threadId);
    const [firstOut, secondOut] = [observationTexts(await first.getEvents())[1]!, observationTexts(await second.getEvents())[1]!];
    expect(firstOut).toMatch(/^\/\nx=leaked/);
    expect(secondOut.startsWith(`${b}\nx=\n`)).toBe(true);
    await Promise.all([first.close(), second.close()]);
  });

  it('a command still running at interrupt() is gone, and the shell is usable after', async () => {
    const workspace = tempDir();
    const conversation = supervisor.conversation({ agent: terminalAgent(), workspace });
    server.setScript(conversation.id, [
      mock.toolCall('terminal', { command: 'sleep 4711 && touch after-sleep' }),
      mock.toolCall('terminal', { command: 'echo still here' }),
      mock.finish('done'),
    ]);
    await conversation.sendMessage('go');
    const run = conversation.run();
    await expect.poll(() => processes('sleep 4711'), { timeout: 10_000 }).toBe(1);
    await conversation.interrupt();
    expect(await run).toBe('paused');
    await expect.poll(() => processes('sleep 4711'), { timeout: 5_000 }).toBe(0);
    expect(await conversation.run()).toBe('finished');
    expect(existsSync(join(workspace, 'after-sleep'))).toBe(false);
    expect(observationTexts(await conversation.getEvents()).at(-2)).toContain('still here');
    await conversation.close();
  });

  it('closing a conversation leaves no process of its shell behind', async () => {
    const conversation = supervisor.conversation({ agent: terminalAgent(), workspace: tempDir() });
    server.setScript(conversation.id, [mock.toolCall('terminal', { command: '(sleep 4712 &) ; sleep 4713 &' }), mock.finish('done')]);
    await conversation.sendMessage('go');
    await conversation.run();
    await expect.poll(() => processes('sleep 471[23]')).toBe(2);
    await conversation.close();
    await expect.poll(() => processes('sleep 471[23]'), { timeout: 5_000 }).toBe(0);
  });

  it('secret values never appear in any streamed or persisted event', async () => {
    const persistenceDir = tempDir();
    const conversation = supervisor.conversation({ agent: terminalAgent(), workspace: tempDir(), persistenceDir, secrets: { API_TOKEN: 'tok-s3cr3t-9f8e' } });
    server.setScript(conversation.id, [
      mock.toolCall('terminal', { command: 'echo "token is $API_TOKEN"' }),
      mock.toolCall('file_editor', { command: 'create', path: join(tempDir(), 'leak.txt'), file_text: 'tok-s3cr3t-9f8e' }),
      mock.finish('I used tok-s3cr3t-9f8e'),
    ]);
    const streamed: Event[] = [];
    conversation.on('event', (event) => streamed.push(event));
    await conversation.sendMessage('print the token tok-s3cr3t-9f8e');
    expect(await conversation.run()).toBe('finished');
    expect(observationTexts(await conversation.getEvents())[0]).toContain('token is <secret-hidden>');
    await conversation.close();
    const dir = join(persistenceDir, conversation.id);
    const onDisk = readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8')).join('\n');
    expect(onDisk).toContain('<secret-hidden>');
    expect(onDisk).not.toContain('tok-s3cr3t-9f8e');
    expect(JSON.stringify(streamed)).not.toContain('tok-s3cr3t-9f8e');
    expect(JSON.stringify(server.requestsFor(conversation.id).map((r) => r.body))).not.toContain('tok-s3cr3t-9f8e');
  });

  it('the coding tools, named as OpenHands names them or their classes, work in an actor', async () => {
    const workspace = tempDir();
    const agent = mockAgent(server, [{ name: 'ApplyPatchTool' }, { name: 'glob' }, { name: 'GrepTool' }, { name: 'PlanningFileEditorTool' }]);
    const conversation = supervisor.conversation({ agent, workspace });
    server.setScript(conversation.id, [
      mock.toolCall('apply_patch', { patch: '*** Begin Patch\n*** Add File: src/hello.txt\n+hello actor\n*** End Patch' }),
      mock.toolCall('glob', { pattern: '**/*.txt' }),
      mock.toolCall('grep', { pattern: 'HELLO' }),
      mock.toolCall('planning_file_editor', { command: 'create', path: join(workspace, 'src', 'other.txt'), file_text: 'x' }),
      mock.finish('done'),
    ]);
    await conversation.sendMessage('go');
    expect(await conversation.run()).toBe('finished');
    const [patched, globbed, grepped, refused] = observationTexts(await conversation.getEvents());
    expect(patched).toBe('Done! Updated the following files:\nA src/hello.txt');
    expect(globbed).toContain(join(workspace, 'src', 'hello.txt'));
    expect(grepped).toContain(join(workspace, 'src', 'hello.txt'));
    expect(refused).toContain('Only the plan file can be edited');
    const offered = (server.requestsFor(conversation.id)[0]!.body as { tools: { function: { name: string } }[] }).tools.map((tool) => tool.function.name);
    expect(offered).toEqual(expect.arrayContaining(['apply_patch', 'glob', 'grep', 'planning_file_editor']));
    await conversation.close();
  });
});

/** How many processes run a command line matching `pattern`. */
function processes(pattern: string): number {
  try {
    return Number(execFileSync('pgrep', ['-fc', `^${pattern}`], { encoding: 'utf8' }).trim());
  } catch {
    // pgrep exits 1 when nothing matches.
    return 0;
  }
}
