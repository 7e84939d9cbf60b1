#!/usr/bin/env node
// Distributed batch throughput: 100 tasks (the built-in mock model at a fixed latency) through
// `troupe batch --queue` on 1, 2 and 3 `troupe worker` processes of this machine, on a redis-server
// started for the run. Prints tasks/s per worker count (first task start to last task end).
//   node packages/cli/scripts/queue-throughput.mjs [--tasks 100] [--workers 1,2,3] [--latency 50] [--concurrency 8]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedisServer } from '@troupe/redis/testing';

const BIN = fileURLToPath(new URL('../bin/troupe.js', import.meta.url));
const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const tasks = Number(arg('tasks', '100'));
const workerCounts = arg('workers', '1,2,3').split(',').map(Number);
const latency = arg('latency', '50');
const concurrency = arg('concurrency', '8');

function run(args, onStderr) {
  const env = { ...process.env, TROUPE_LOG_LEVEL: 'silent' };
  delete env.LLM_API_KEY;
  delete env.LLM_BASE_URL;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (chunk) => onStderr?.(chunk.toString()));
  return { child, done: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

const redis = await startRedisServer();
const rows = [];
try {
  for (const count of workerCounts) {
    const dir = mkdtempSync(join(tmpdir(), 'troupe-queue-bench-'));
    const file = join(dir, 'tasks.jsonl');
    writeFileSync(file, Array.from({ length: tasks }, (_, i) => JSON.stringify({ id: `t${i + 1}`, prompt: `task ${i + 1}` })).join('\n') + '\n');
    const queueName = `bench-${count}`;
    const workers = [];
    for (let n = 0; n < count; n++) {
      let ready;
      const up = new Promise((resolve) => (ready = resolve));
      const worker = run(['worker', '--queue', redis.url, '--queue-name', queueName, '--concurrency', concurrency, '--threads', '1', '--mock-latency', latency, '--workspace-root', join(dir, `ws-${n}`)], (text) => text.includes('Worker on queue') && ready());
      workers.push(worker);
      await up;
    }
    const out = join(dir, 'results.jsonl');
    const started = Date.now();
    const code = await run(['batch', file, '--queue', redis.url, '--queue-name', queueName, '--out', out]).done;
    const wallMs = Date.now() - started;
    for (const worker of workers) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.done));
    const results = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
    const first = Math.min(...results.map((r) => Date.parse(r.started_at)));
    const last = Math.max(...results.map((r) => Date.parse(r.ended_at)));
    const finished = results.filter((r) => r.status === 'finished').length;
    rows.push({ workers: count, finished, tasksPerSecond: (tasks / ((last - first) / 1000)).toFixed(1), spanS: ((last - first) / 1000).toFixed(1), coordinatorWallS: (wallMs / 1000).toFixed(1), exit: code });
    console.log(JSON.stringify(rows.at(-1)));
  }
} finally {
  await redis.stop();
}
console.table(rows);
