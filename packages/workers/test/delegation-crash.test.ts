import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECOVERED_TOOL_ERROR } from '@troupe/core';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { Supervisor } from '@troupe/workers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsOf, scriptDelegation, tempDir, testToolsModule } from './helpers.js';

const CHILD = new URL('./fixtures/delegate-crash-child.mjs', import.meta.url).pathname;

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);

describe('delegation after a crash', () => {
  it('a process killed mid-delegation leaves parent and sub-conversations consistent: none re-run, each reopens with its events', async () => {
    const dir = tempDir('troupe-delegate-crash-');
    const log = join(dir, 'work.log');
    const persistenceDir = join(dir, 'conversations');
    const parentId = `delegate-crash-${Date.now()}`;
    const names = ['north', 'south', 'east'];
    const childIds = scriptDelegation(server, parentId, names, (name) => [mock.toolCall('timed_work', { file: log, label: name, ms: 60_000 }), mock.finish(`${name} done`)]);
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ parentId, persistenceDir, workspace: join(dir, 'workspace'), mockUrl: server.url, toolsModule: testToolsModule }));

    const child = spawn(process.execPath, [CHILD, config], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, TROUPE_LOG_LEVEL: 'silent' } });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await expect.poll(() => lines(log).filter((line) => line.startsWith('start ')).length, { timeout: 30_000 }).toBe(3);
    child.kill('SIGKILL');
    await exited;
    const requestsBefore = childIds.map((id) => server.requestsFor(id).length);

    const supervisor = new Supervisor({ threads: 2, persistenceDir });
    try {
      const parent = supervisor.resume(parentId);
      await parent.ready();
      expect(parent.status).toBe('paused');
      expect(parent.state.subConversationIds).toEqual(childIds);
      // The delegation in flight got an error result; it is not run again.
      const [spawned, delegated] = resultsOf(await parent.getEvents(), 'delegate');
      expect(spawned?.kind).toBe('ObservationEvent');
      expect(delegated?.kind === 'AgentErrorEvent' && delegated.error).toBe(RECOVERED_TOOL_ERROR);

      for (const [index, id] of childIds.entries()) {
        const sub = supervisor.resume(id);
        await sub.ready();
        expect(sub.state.parentConversationId).toBe(parentId);
        expect(sub.status).toBe('paused');
        const events = await sub.getEvents();
        expect(events.some((event) => event.kind === 'MessageEvent' && event.source === 'user' && JSON.stringify(event.llm_message).includes(`do ${names[index]}`))).toBe(true);
        expect(resultsOf(events, 'timed_work').map((event) => event.kind)).toEqual(['AgentErrorEvent']);
      }
      // Reopening ran nothing: no model call, no task started again.
      expect(childIds.map((id) => server.requestsFor(id).length)).toEqual(requestsBefore);
      expect(lines(log).filter((line) => line.startsWith('start ')).length).toBe(3);
    } finally {
      await supervisor.close();
    }
  }, 90_000);
});
