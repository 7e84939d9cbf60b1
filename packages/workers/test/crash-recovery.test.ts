import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { tempDir, testToolsModule } from './helpers.js';

const CHILD = new URL('./fixtures/crash-child.mjs', import.meta.url).pathname;

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer();
});
afterAll(() => server.close());

interface Fact {
  type: 'ack' | 'resumed' | 'done';
  id: string;
  messageId?: string;
  status?: string;
  messageIds?: string[];
}

function startChild(config: object, dir: string): { child: ChildProcess; facts: Fact[]; exited: Promise<number | null> } {
  const file = join(dir, `config-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [CHILD, file], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TROUPE_LOG_LEVEL: 'silent' } });
  const facts: Fact[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => facts.push(JSON.parse(line) as Fact));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, facts, exited };
}

describe('crash recovery after SIGKILL', () => {
  it('20 persisted conversations killed mid-run all finish after resume; no side effect twice, no acknowledged message lost', async () => {
    const dir = tempDir('troupe-crash-');
    const workspace = join(dir, 'workspace');
    const effects = join(dir, 'side-effects.log');
    const ids = Array.from({ length: 20 }, (_, i) => `crash-${i}-${Date.now()}`);
    ids.forEach((id, i) => {
      const effect = (label: string) => mock.toolCall('side_effect', { file: effects, label: `${id} ${label}` });
      server.setScript(
        id,
        i % 2 === 0
          ? // Killed during a long terminal command.
            [effect('a'), mock.toolCall('terminal', { command: `echo ${id} >> ${join(dir, 'terminal-starts.log')} && sleep 30` }), effect('b'), mock.finish('done')]
          : // Killed during a model call (the first attempt of turn 1 hangs).
            [effect('a'), { ...mock.finish('done'), faults: [{ type: 'hang' }] }],
      );
    });
    const config = { ids, persistenceDir: join(dir, 'conversations'), workspace, mockUrl: server.url, toolsModule: testToolsModule };

    const first = startChild({ ...config, mode: 'start' }, dir);
    await expect.poll(() => first.facts.filter((f) => f.type === 'ack').length, { timeout: 20_000 }).toBe(20);
    const terminalStarts = join(dir, 'terminal-starts.log');
    await expect.poll(() => (existsSync(terminalStarts) ? readFileSync(terminalStarts, 'utf8').trim().split('\n').length : 0), { timeout: 20_000 }).toBe(10);
    await expect.poll(() => ids.filter((id, i) => i % 2 === 1 && server.requestsFor(id).some((r) => r.turn === 1)).length, { timeout: 20_000 }).toBe(10);
    first.child.kill('SIGKILL');
    await first.exited;
    const acked = new Map(first.facts.filter((f) => f.type === 'ack').map((f) => [f.id, f.messageId!]));

    const second = startChild({ ...config, mode: 'resume' }, dir);
    expect(await second.exited).toBe(0);
    const resumed = second.facts.filter((f) => f.type === 'resumed');
    expect(resumed.map((f) => f.status)).toEqual(Array(20).fill('paused'));
    const done = second.facts.filter((f) => f.type === 'done');
    expect(done).toHaveLength(20);
    for (const fact of done) {
      expect(fact.status).toBe('finished');
      expect(fact.messageIds).toContain(acked.get(fact.id));
    }
    const lines = readFileSync(effects, 'utf8').trim().split('\n').map((line) => line.split(' ').slice(0, 2).join(' '));
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).toHaveLength(20 + 10);
    // The interrupted terminal commands were not run again.
    expect(readFileSync(terminalStarts, 'utf8').trim().split('\n')).toHaveLength(10);
  }, 90_000);
});
