import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SharedBudget, TaskQueue } from '../src/index.js';
import { describeWithRedis } from './helpers.js';

describeWithRedis('TaskQueue and SharedBudget', (redis) => {
  let queue: TaskQueue;
  let client: Redis;
  beforeAll(async () => {
    queue = await TaskQueue.connect({ url: redis().url, name: 'unit' });
    client = new Redis(redis().url);
  });
  afterAll(async () => {
    await queue.close();
    client.disconnect();
  });

  it('enqueuing the same tasks twice adds nothing: the job id is the task id', async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ id: `t${i}`, data: { n: i } }));
    await queue.enqueue(items);
    await queue.enqueue(items);
    expect((await queue.counts()).waiting).toBe(250);
    expect((await queue.existing(['t0', 't249', 'missing'])).size).toBe(2);
    expect((await queue.outcomes(['t0'])).size).toBe(0);
  });

  it('the budget counts each task once at its highest cost, whichever worker reports it', async () => {
    const workerA = new SharedBudget(client, 'troupe:unit:');
    const other = new Redis(redis().url);
    const workerB = new SharedBudget(other, 'troupe:unit:');
    await workerA.setLimit(1);
    await workerA.report('a', 0.25);
    // The task resumed on another worker reports its total again (its stats carry the earlier cost), then more.
    await workerB.report('a', 0.25);
    await workerB.report('a', 0.5);
    await workerA.report('b', 0.25);
    expect(await workerB.state()).toEqual({ spent: 0.75, limit: 1, exhausted: false });
    await workerB.report('c', 0.25);
    expect(await workerA.state()).toEqual({ spent: 1, limit: 1, exhausted: true });
    await workerA.setLimit(undefined);
    expect((await workerA.state()).exhausted).toBe(false);
    other.disconnect();
  });
});
