import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECOVERED_TOOL_ERROR } from '@troupe/core';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { RedisConversationStorage } from '@troupe/redis';
import { hasRedisServer, type RedisServer, startRedisServer } from '@troupe/redis/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLines, spawnCli, tempDir } from './helpers.js';

const available = hasRedisServer();
if (!available && process.env.CI) throw new Error('redis-server is not installed: .ci/run installs it; the distributed batch tests must not skip in CI.');

const TASKS = 100;
const env = { LLM_API_KEY: 'test-key' };

/** 100 tasks, each: one terminal call appending its id to a shared file (then working 0.3 s), then finish. */
function writeBatch(dir: string, server: MockServer): { tasks: string; sideEffects: string } {
  const sideEffects = join(dir, 'side-effects.txt');
  writeFileSync(sideEffects, '');
  const ids = Array.from({ length: TASKS }, (_, i) => `task-${i + 1}`);
  for (const id of ids) server.setScript(id, [mock.toolCall('terminal', { command: `echo ${id} >> ${sideEffects} && sleep 0.3` }), mock.finish(`done ${id}`)]);
  const tasks = join(dir, 'tasks.jsonl');
  writeFileSync(tasks, ids.map((id) => JSON.stringify({ id, prompt: `append ${id}` })).join('\n') + '\n');
  return { tasks, sideEffects };
}

function startWorkers(count: number, redisUrl: string, queueName: string, server: MockServer, dir: string) {
  return Array.from({ length: count }, (_, n) =>
    spawnCli(
      ['worker', '--queue', redisUrl, '--queue-name', queueName, '--concurrency', '4', '--threads', '1', '--lock-duration', '3s'] //
        .concat(['--model', 'openai/mock-model', '--base-url', server.url, '--workspace-root', join(dir, `workspaces-${n}`)]),
      env,
    ),
  );
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Per task id, how many times its tool's side effect happened. */
function sideEffectCounts(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) counts.set(line, (counts.get(line) ?? 0) + 1);
  return counts;
}

(available ? describe : describe.skip)('troupe batch --queue over troupe worker processes', () => {
  let redis: RedisServer;
  let server: MockServer;
  let storage: RedisConversationStorage;
  beforeAll(async () => {
    redis = await startRedisServer();
    server = await startMockServer({ latencyMs: 30, recordRequests: false });
  });
  afterAll(async () => {
    await storage?.close();
    await server?.close();
    await redis?.stop();
  });

  /** Every id once and finished; no side effect twice; one that did not happen was recorded as not re-run. */
  async function expectExactlyOnce(out: string, sideEffects: string, queueName: string) {
    const results = readLines(out);
    expect(results).toHaveLength(TASKS);
    expect(new Set(results.map((result) => result.id)).size).toBe(TASKS);
    expect(results.filter((result) => result.status !== 'finished')).toEqual([]);
    const counts = sideEffectCounts(sideEffects);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
    storage = await RedisConversationStorage.connect({ url: redis.url, prefix: `troupe:${queueName}:`, leaseWaitMs: 0 });
    for (const result of results.filter((r) => !counts.has(r.id))) {
      const opened = await storage.open(result.id);
      const events = opened.loaded?.events ?? [];
      await opened.store.close();
      expect(events.some((event) => event.kind === 'AgentErrorEvent' && event.error === RECOVERED_TOOL_ERROR)).toBe(true);
    }
    await storage.close();
    return results;
  }

  it('100 tasks over 3 workers, one killed with SIGKILL mid-run: 100 result lines, all finished, no side effect twice', async () => {
    const dir = tempDir();
    const { tasks, sideEffects } = writeBatch(dir, server);
    const out = join(dir, 'results.jsonl');
    const workers = startWorkers(3, redis.url, 'kill-worker', server, dir);
    const coordinator = spawnCli(['batch', tasks, '--queue', redis.url, '--queue-name', 'kill-worker', '--out', out], env);
    try {
      // Kill the first worker while it is running tasks (started some it has not ended).
      const victim = workers[0]!;
      const running = () => {
        const log = victim.output().stderr;
        const started = [...log.matchAll(/^start (\S+)/gm)].map((match) => match[1]);
        const ended = new Set([...log.matchAll(/^(\S+) (finished|error)/gm)].map((match) => match[1]));
        return started.filter((id) => !ended.has(id)).length;
      };
      await until(() => readLines(out).length >= 10 && running() >= 2, 'the first worker to run tasks');
      victim.child.kill('SIGKILL');
      const done = await coordinator.done;
      expect(done.code, done.stderr).toBe(0);
      const results = await expectExactlyOnce(out, sideEffects, 'kill-worker');
      // The killed worker's tasks were continued by the others from their conversations in Redis.
      expect(results.some((result) => result.resumed)).toBe(true);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.done));
    }
  }, 300_000);

  it('the coordinator killed with SIGKILL, then --resume: the same batch ends with one line per task, enqueuing again adds nothing', async () => {
    const dir = tempDir();
    const { tasks, sideEffects } = writeBatch(dir, server);
    const out = join(dir, 'results.jsonl');
    const argsTo = (results: string) => ['batch', tasks, '--queue', redis.url, '--queue-name', 'kill-coordinator', '--out', results];
    const args = argsTo(out);
    const workers = startWorkers(2, redis.url, 'kill-coordinator', server, dir);
    try {
      const first = spawnCli(args, env);
      await until(() => readLines(out).length >= 20, '20 results');
      first.child.kill('SIGKILL');
      expect((await first.done).signal).toBe('SIGKILL');
      expect(readLines(out).length).toBeLessThan(TASKS);

      // Without --resume, a queue already holding these tasks is refused (even with a fresh results file).
      const refused = await spawnCli(argsTo(join(dir, 'fresh.jsonl')), env).done;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/already holds \d+ of these tasks/);

      const second = await spawnCli([...args, '--resume'], env).done;
      expect(second.code, second.stderr).toBe(0);
      await expectExactlyOnce(out, sideEffects, 'kill-coordinator');
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.done));
    }
  }, 300_000);

  it('--max-cost is one budget for all workers: once spent, no worker starts a task', async () => {
    const dir = tempDir();
    const tasks = join(dir, 'tasks.jsonl');
    writeFileSync(tasks, Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `budget-${i + 1}`, prompt: `task ${i + 1}` })).join('\n') + '\n');
    const out = join(dir, 'results.jsonl');
    // The workers' own built-in mock model (mock prices: about $0.002 a task).
    const workers = Array.from({ length: 2 }, () => spawnCli(['worker', '--queue', redis.url, '--queue-name', 'budget', '--concurrency', '2', '--threads', '1', '--workspace-root', dir]));
    try {
      const done = await spawnCli(['batch', tasks, '--queue', redis.url, '--queue-name', 'budget', '--out', out, '--max-cost', '0.005']).done;
      expect(done.code).toBe(1);
      const results = readLines(out);
      expect(results).toHaveLength(20);
      const skipped = results.filter((result) => result.status === 'skipped');
      expect(skipped.length).toBeGreaterThan(0);
      expect(skipped[0].error).toMatch(/budget of \$0.005 was reached/);
      const spent = results.reduce((sum, result) => sum + result.cost, 0);
      expect(spent).toBeGreaterThanOrEqual(0.005);
      expect(done.stdout).toMatch(/budget of \$0.005 was reached: \d+ task\(s\) were not started/);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.done));
    }
  }, 120_000);
});
