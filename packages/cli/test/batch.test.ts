import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock, type MockServer, startMockServer } from '@troupe/core/testing';
import { readLines, spawnCli, tempDir, writeTasks } from './helpers.js';

describe('troupe batch against the built-in mock model', () => {
  it('50 tasks at concurrency 10: 50 result lines with correct totals; an invalid line is reported and skipped', async () => {
    const dir = tempDir();
    const tasks = writeTasks(dir, 50, ['{"id":"broken","prompt":""}']);
    const { done } = spawnCli(['batch', tasks, '--concurrency', '10', '--threads', '2', '--mock-latency', '5']);
    const { code, stdout, stderr } = await done;
    expect(stderr).toContain('LLM_API_KEY is not set: using the built-in mock model');
    expect(stderr).toMatch(/tasks\.jsonl:51: invalid task, skipped: prompt: must not be empty/);
    expect(code).toBe(1); // an invalid line makes the batch not fully successful
    const results = readLines(join(dir, 'tasks.results.jsonl'));
    expect(results).toHaveLength(50);
    expect(new Set(results.map((r) => r.id)).size).toBe(50);
    for (const r of results) {
      expect(r.status).toBe('finished');
      expect(r.iterations).toBe(2);
      expect(r.final_message).toContain(`Do thing number ${r.metadata.n}`);
      expect(r.cost).toBeGreaterThan(0);
      expect(r.tokens.total).toBe(r.tokens.prompt + r.tokens.completion);
      expect(existsSync(r.events_path)).toBe(true);
    }
    const totalCost = results.reduce((sum, r) => sum + r.cost, 0);
    const totalTokens = results.reduce((sum, r) => sum + r.tokens.total, 0);
    expect(stdout).toMatch(new RegExp(`finished\\s+50\\s+100\\s+${totalTokens}\\s+\\$${totalCost.toFixed(4)}`));
    expect(stdout).toMatch(/total\s+50\s+100/);
    expect(stdout).toContain('cost (mock prices)');
    expect(stdout).toContain('1 invalid line(s)');
  }, 60_000);

  it('--strict aborts on an invalid line and runs nothing', async () => {
    const dir = tempDir();
    const tasks = writeTasks(dir, 3, ['{"prompt":"no id"}']);
    const { code, stderr } = await spawnCli(['batch', tasks, '--strict']).done;
    expect(code).toBe(2);
    expect(stderr).toMatch(/tasks\.jsonl:4: invalid task, aborting: id/);
    expect(existsSync(join(dir, 'tasks.results.jsonl'))).toBe(false);
  });

  it('--max-cost stops starting tasks once the batch budget is spent', async () => {
    const dir = tempDir();
    const tasks = writeTasks(dir, 10);
    const maxCost = 0.005;
    const { code, stdout } = await spawnCli(['batch', tasks, '--concurrency', '1', '--threads', '1', '--max-cost', String(maxCost), '--mock-latency', '0']).done;
    expect(code).toBe(1);
    const results = readLines(join(dir, 'tasks.results.jsonl'));
    expect(results).toHaveLength(10);
    const finished = results.filter((r) => r.status === 'finished');
    const skipped = results.filter((r) => r.status === 'skipped');
    expect(finished.length + skipped.length).toBe(10);
    expect(skipped.length).toBeGreaterThan(0);
    // One task at a time: every task started while the spend was under the budget, and the next one would not.
    const costs = finished.map((r) => r.cost);
    const spentBeforeLast = costs.slice(0, -1).reduce((a, b) => a + b, 0);
    expect(spentBeforeLast).toBeLessThan(maxCost);
    expect(costs.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(maxCost);
    expect(skipped[0].error).toMatch(/budget of \$0.005 was reached/);
    expect(stdout).toMatch(/budget of \$0.005 was reached: \d+ task\(s\) were not started/);
  }, 60_000);
});

describe('troupe batch killed half-way, then --resume', () => {
  let server: MockServer;
  beforeAll(async () => {
    // The test's own mock (as a "real" endpoint), so requests per conversation are counted across both runs.
    server = await startMockServer({ latencyMs: 60, defaultScript: [mock.toolCall('think', { thought: 'planning' }), mock.finish('all done')] });
  });
  afterAll(async () => {
    await server.close();
  });

  it('finishes the rest without redoing finished tasks; every id appears once, finished', async () => {
    const dir = tempDir();
    const tasks = writeTasks(dir, 20);
    const out = join(dir, 'out.jsonl');
    const args = ['batch', tasks, '--out', out, '--concurrency', '3', '--threads', '1', '--model', 'openai/mock-model', '--base-url', server.url];
    const env = { LLM_API_KEY: 'test-key' };

    const first = spawnCli(args, env);
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (readLines(out).length >= 6) {
          clearInterval(timer);
          first.child.kill('SIGKILL');
          resolve();
        }
      }, 20);
      void first.done.then(() => {
        clearInterval(timer);
        reject(new Error(`the first run ended before it was killed: ${first.output().stderr}`));
      });
    });
    expect((await first.done).signal).toBe('SIGKILL');
    const before = readLines(out);
    expect(before.length).toBeGreaterThanOrEqual(6);
    expect(before.length).toBeLessThan(20);
    const finishedFirst = before.map((r) => r.id as string);
    const requestsBefore = new Map(finishedFirst.map((id) => [id, server.requestsFor(id).length]));

    const second = await spawnCli([...args, '--resume'], env).done;
    expect(second.stderr).toMatch(new RegExp(`resume: ${before.length} task\\(s\\) already done`));
    expect(second.code).toBe(0);
    const after = readLines(out);
    const ids = after.map((r) => r.id);
    expect(ids.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `task-${i + 1}`).sort());
    expect(after.every((r) => r.status === 'finished')).toBe(true);
    // Finished tasks were not redone: no new model request for them, and exactly their 2 steps.
    for (const id of finishedFirst) {
      expect(server.requestsFor(id).length).toBe(requestsBefore.get(id));
      expect(server.requestsFor(id).length).toBe(2);
    }
    // A task that was running at the kill was continued from its persisted conversation.
    const resumed = after.filter((r) => r.resumed);
    for (const r of resumed) expect(r.iterations).toBe(2);
    expect(readFileSync(out, 'utf8').endsWith('\n')).toBe(true);
  }, 60_000);

  it('Ctrl-C pauses running tasks (exit 130) and --resume continues them', async () => {
    const dir = tempDir();
    const tasks = writeTasks(dir, 12);
    const out = join(dir, 'out.jsonl');
    const args = ['batch', tasks, '--out', out, '--concurrency', '3', '--threads', '1', '--model', 'openai/mock-model', '--base-url', server.url];
    const env = { LLM_API_KEY: 'test-key' };
    const first = spawnCli(args, env);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (readLines(out).length >= 3) {
          clearInterval(timer);
          first.child.kill('SIGINT');
          resolve();
        }
      }, 20);
    });
    const stopped = await first.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toContain('--resume');
    const before = readLines(out);
    expect(before.every((r) => r.status === 'finished')).toBe(true);
    const second = await spawnCli([...args, '--resume'], env).done;
    expect(second.code).toBe(0);
    const after = readLines(out);
    expect(after.map((r) => r.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `task-${i + 1}`).sort());
    expect(after.every((r) => r.status === 'finished')).toBe(true);
  }, 60_000);
});

describe('troupe run', () => {
  it('runs one conversation against the mock model, printing events, status and cost', async () => {
    const dir = tempDir();
    const { code, stdout, stderr } = await spawnCli(['run', 'Create hello.py', '--workspace', dir, '--mock-latency', '0']).done;
    expect(stderr).toContain('built-in mock model');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^user\s+Create hello\.py$/m);
    expect(stdout).toMatch(/^action\s+task_tracker/m);
    expect(stdout).toMatch(/^action\s+finish .*Create hello\.py/m);
    expect(stdout).toContain('status: finished');
    expect(stdout).toMatch(/cost: \$0\.\d+ \(mock prices\)/);
  }, 30_000);
});
