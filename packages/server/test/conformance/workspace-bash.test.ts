import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, tempDir, useTestServer } from '../helpers.js';
import { bashPollQuery, startBashBody } from './openhands-requests.js';

const root = tempDir('troupe-bash-root-');
let server: TestServer;
useTestServer({ apiKey: 'session-key', workspaceRoots: [root] }, (context) => {
  ({ server } = context);
});

// The server runs in this process: a key in its environment must never reach a workspace command.
beforeAll(() => {
  process.env.TROUPE_TEST_SERVER_SECRET = 'server-only-value';
});
afterAll(() => {
  delete process.env.TROUPE_TEST_SERVER_SECRET;
});

interface BashOutput {
  kind: 'BashOutput';
  id: string;
  order: number;
  exit_code: number | null;
  stdout: string | null;
  stderr: string | null;
}

/** Polls as OpenHands' `execute_command` does (order__gt, kind and command filters) until a poll satisfies `until`. */
async function poll(commandId: string, until: (outputs: BashOutput[]) => boolean, outputs: BashOutput[] = []): Promise<BashOutput[]> {
  await expect
    .poll(async () => {
      const last = outputs.at(-1)?.order;
      const page = await server.api('GET', `/api/bash/bash_events/search?${bashPollQuery(commandId, last)}`);
      outputs.push(...page.body.items);
      return until(outputs);
    })
    .toBe(true);
  return outputs;
}

const done = (outputs: BashOutput[]) => outputs.some((output) => output.exit_code !== null);
const text = (outputs: BashOutput[], stream: 'stdout' | 'stderr') => outputs.map((output) => output[stream] ?? '').join('');

describe('the workspace shell (OpenHands bash routes)', () => {
  it('start_bash_command + polling: BashCommand, then BashOutputs in order, the last with the exit code', async () => {
    const started = await server.api('POST', '/api/bash/start_bash_command', startBashBody('echo hi && pwd && echo oops >&2 && exit 3', root));
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ kind: 'BashCommand', id: expect.stringMatching(/^[0-9a-f]{32}$/), command: expect.any(String), cwd: root, timeout: 30 });
    const outputs = await poll(started.body.id, done);
    expect(outputs.map((output) => output.order)).toEqual(outputs.map((_, index) => index));
    expect(new Set(outputs.map((output) => output.id)).size).toBe(outputs.length);
    expect(outputs.at(-1)!.exit_code).toBe(3);
    expect(outputs.slice(0, -1).every((output) => output.exit_code === null)).toBe(true);
    expect(text(outputs, 'stdout')).toBe(`hi\n${root}\n`);
    expect(text(outputs, 'stderr')).toBe('oops\n');
  });

  it('streams output while the command runs (not only at its end)', async () => {
    const flag = join(root, `go-${Date.now()}`);
    const started = await server.api('POST', '/api/bash/start_bash_command', startBashBody(`echo first; while [ ! -f ${flag} ]; do sleep 0.05; done; echo second`, root));
    const early = await poll(started.body.id, (outputs) => text(outputs, 'stdout').includes('first'));
    expect(done(early)).toBe(false);
    writeFileSync(flag, '');
    const all = await poll(started.body.id, done, early);
    expect(text(all, 'stdout')).toBe('first\nsecond\n');
  });

  it('on timeout kills the whole process group: exit_code -1 and a note the client reads as a timeout', async () => {
    const pidFile = join(root, `pid-${Date.now()}`);
    const started = await server.api('POST', '/api/bash/start_bash_command', { command: `sleep 300 & echo $! > ${pidFile}; wait`, cwd: root, timeout: 1 });
    const outputs = await poll(started.body.id, done);
    expect(outputs.at(-1)!.exit_code).toBe(-1);
    expect(text(outputs, 'stderr')).toContain('timed out');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')).toBe(false);
  });

  it("runs with the terminal's environment allow-list, never the server's variables", async () => {
    const result = await server.api('POST', '/api/bash/execute_bash_command', { command: 'env', cwd: root });
    expect(result.body).toMatchObject({ kind: 'BashOutput', exit_code: 0 });
    expect(result.body.stdout).toContain('PATH=');
    expect(result.body.stdout).not.toContain('TROUPE_TEST_SERVER_SECRET');
  });

  it('without a cwd runs in the first workspace root; a cwd that is no directory is a 422', async () => {
    expect((await server.api('POST', '/api/bash/execute_bash_command', { command: 'pwd', cwd: null, timeout: null })).body.stdout).toBe(`${root}\n`);
    expect((await server.api('POST', '/api/bash/start_bash_command', { command: 'pwd', cwd: join(root, 'missing') })).status).toBe(422);
    expect((await server.api('POST', '/api/bash/start_bash_command', { command: '' })).body.detail[0].loc).toEqual(['body', 'command']);
  });

  it('search filters (kind, command id in either spelling, order, time, newest first, pages), get by id, delete all', async () => {
    const command = (await server.api('POST', '/api/bash/start_bash_command', startBashBody('for i in 1 2 3; do echo $i; sleep 0.1; done', root))).body;
    await poll(command.id, done);
    const dashed = `${command.id.slice(0, 8)}-${command.id.slice(8, 12)}-${command.id.slice(12, 16)}-${command.id.slice(16, 20)}-${command.id.slice(20)}`;
    const outputs = (await server.api('GET', `/api/bash/bash_events/search?command_id__eq=${dashed}`)).body.items as BashOutput[];
    expect(outputs.length).toBeGreaterThan(0);
    expect((await server.api('GET', `/api/bash/bash_events/search?command_id__eq=${command.id}&order__gt=0`)).body.items.every((output: BashOutput) => output.order > 0)).toBe(true);
    const commands = (await server.api('GET', '/api/bash/bash_events/search?kind__eq=BashCommand&sort_order=TIMESTAMP_DESC')).body.items;
    expect(commands[0].id).toBe(command.id);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await server.api('GET', `/api/bash/bash_events/search?timestamp__gte=${future}`)).body.items).toEqual([]);
    const first = await server.api('GET', '/api/bash/bash_events/search?limit=1');
    const second = await server.api('GET', `/api/bash/bash_events/search?limit=1&page_id=${first.body.next_page_id}`);
    expect(second.body.items[0].id).toBe(first.body.next_page_id);
    expect((await server.api('GET', `/api/bash/bash_events/${command.id}`)).body).toEqual(command);
    expect((await server.api('GET', '/api/bash/bash_events/nope')).status).toBe(404);
    expect((await server.api('GET', '/api/bash/bash_events/search?kind__eq=Other')).status).toBe(422);
    const cleared = await server.api('DELETE', '/api/bash/bash_events');
    expect(cleared.body.cleared_count).toBeGreaterThan(0);
    expect((await server.api('GET', '/api/bash/bash_events/search')).body.items).toEqual([]);
  });
});
