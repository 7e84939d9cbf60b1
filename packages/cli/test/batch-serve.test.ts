import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, spawnCli, tempDir, writeTasks } from './helpers.js';

const KEY = 'batch-serve-key';
const get = async (url: string) => {
  const response = await fetch(url, { headers: { 'x-session-api-key': KEY } });
  return { status: response.status, body: (await response.json()) as any };
};

describe('troupe batch --serve', () => {
  it('serves the running tasks as conversations and the batch progress while it runs, then stops with the batch', async () => {
    const dir = tempDir();
    const tasks = writeTasks(dir, 10);
    const cli = spawnCli(['batch', tasks, '--concurrency', '2', '--threads', '1', '--mock-latency', '400', '--serve', '--port', '0', '--session-api-key', KEY]);
    await expect.poll(() => /server on (http:\/\/127\.0\.0\.1:\d+)\//.exec(cli.output().stderr)?.[1], { timeout: 20_000 }).toBeDefined();
    const url = /server on (http:\/\/127\.0\.0\.1:\d+)\//.exec(cli.output().stderr)![1]!;

    expect((await fetch(`${url}/api/troupe/batch`)).status).toBe(401);
    let running: string[] = [];
    await expect.poll(async () => (running = (await get(`${url}/api/troupe/batch`)).body.running_ids).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const progress = (await get(`${url}/api/troupe/batch`)).body;
    expect(progress).toMatchObject({ source: tasks, total: 10, done: false });
    expect(progress.running).toBeLessThanOrEqual(2);

    // A running task is a conversation of the server: its info, and a row of the list.
    const info = await get(`${url}/api/conversations/${running[0]}`);
    expect(info.status).toBe(200);
    expect(info.body.id).toBe(running[0]);
    const rows = (await get(`${url}/api/troupe/conversations`)).body.items.map((row: any) => row.id);
    expect(rows).toContain(running[0]);

    // A task the batch has finished and closed is read from disk again: its info and its row.
    let ended: any;
    await expect.poll(() => (ended = readLines(join(dir, 'tasks.results.jsonl'))[0]), { timeout: 20_000 }).toBeDefined();
    await expect.poll(async () => (await get(`${url}/api/conversations/${ended.id}`)).body.execution_status).toBe('finished');
    const row = (await get(`${url}/api/troupe/conversations`)).body.items.find((item: any) => item.id === ended.id);
    expect(row).toMatchObject({ execution_status: 'finished', steps: ended.iterations, cost: ended.cost });

    const { code } = await cli.done;
    expect(code).toBe(0);
    const results = readLines(join(dir, 'tasks.results.jsonl'));
    expect(results.map((result) => result.status)).toEqual(Array(10).fill('finished'));
    await expect(fetch(`${url}/api/troupe/batch`)).rejects.toThrow();
  }, 60_000);

  it('refuses the server options without --serve', async () => {
    const dir = tempDir();
    const { code, stderr } = await spawnCli(['batch', writeTasks(dir, 1), '--port', '9000']).done;
    expect(code).toBe(2);
    expect(stderr).toContain('--port needs --serve');
  });
});
