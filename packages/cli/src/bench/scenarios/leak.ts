import { type Agent, contentText, type Event } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { benchAgent, newSupervisor, type Scenario, startBenchMock, stepsScript, tempDir , BENCH_CONVERSATION } from '../harness.js';
import { MB, round, settledHeapUsed } from '../measure.js';

/** The worker thread's heap after a full GC, read by a conversation that calls the heap_stats tool on it. */
async function workerHeapUsed(supervisor: Supervisor, agent: Agent, workspace: string, setScript: (id: string) => Promise<void>): Promise<number> {
  const conversation = supervisor.conversation({ ...BENCH_CONVERSATION, agent, workspace });
  await setScript(conversation.id);
  let used = Number.NaN;
  conversation.on('event', (event: Event) => {
    if (event.kind === 'ObservationEvent' && event.tool_name === 'heap_stats') used = Number((JSON.parse(contentText(event.observation.content)) as { used_heap_size: unknown }).used_heap_size);
  });
  await conversation.sendMessage('measure');
  await conversation.run();
  await conversation.close();
  return used;
}

const growth = (before: number, after: number) => round(((after - before) / before) * 100, 1);

export const leakScenario: Scenario = {
  name: 'leak',
  description: 'Many sequential conversations (create, run 2 steps, close) on one worker thread: heap and RSS after GC vs the baseline.',
  async run(context) {
    const total = context.tiny ? 100 : context.quick ? 300 : 10_000;
    const warmup = Math.min(200, Math.ceil(total / 10));
    const mockServer = await startBenchMock({ latencyMs: 0, defaultScript: stepsScript(1) });
    const workspace = tempDir('troupe-bench-leak-');
    const agent = benchAgent(mockServer.url, ['noop', 'heap_stats']);
    const supervisor = newSupervisor(1);
    const heapScript = [mock.toolCall('heap_stats', {}), mock.finish('measured')];
    const setScript = (id: string) => mockServer.setScript(id, heapScript);
    const one = async () => {
      const conversation = supervisor.conversation({ ...BENCH_CONVERSATION, agent, workspace: workspace.path });
      await conversation.sendMessage('go');
      const status = await conversation.run();
      await conversation.close();
      if (status !== 'finished') throw new Error(`leak: a conversation ended ${status}`);
    };
    try {
      for (let i = 0; i < warmup; i++) await one();
      const workerBefore = await workerHeapUsed(supervisor, agent, workspace.path, setScript);
      const heapBefore = await settledHeapUsed();
      const rssBefore = process.memoryUsage.rss();
      const started = performance.now();
      for (let i = 0; i < total; i++) {
        await one();
        if ((i + 1) % 2_000 === 0) context.log(`leak: ${i + 1}/${total}`);
      }
      const wallMs = performance.now() - started;
      const workerAfter = await workerHeapUsed(supervisor, agent, workspace.path, setScript);
      const heapAfter = await settledHeapUsed();
      const rssAfter = process.memoryUsage.rss();
      context.log(`leak: main heap ${round(heapBefore / MB)} → ${round(heapAfter / MB)} MB, worker heap ${round(workerBefore / MB)} → ${round(workerAfter / MB)} MB`);
      return {
        name: 'leak',
        description: this.description,
        params: { conversations: total, warmup, steps_per_conversation: 1, threads: 1 },
        figures: {
          conversations: total,
          conversations_per_s: round(total / (wallMs / 1000), 0),
          main_heap_before_mb: round(heapBefore / MB),
          main_heap_after_mb: round(heapAfter / MB),
          main_heap_growth_pct: growth(heapBefore, heapAfter),
          worker_heap_before_mb: round(workerBefore / MB),
          worker_heap_after_mb: round(workerAfter / MB),
          worker_heap_growth_pct: growth(workerBefore, workerAfter),
          rss_before_mb: round(rssBefore / MB, 1),
          rss_after_mb: round(rssAfter / MB, 1),
          rss_growth_pct: growth(rssBefore, rssAfter),
        },
        rows: [
          { measure: 'main thread heap after GC (MB)', before: round(heapBefore / MB), after: round(heapAfter / MB), growth_pct: growth(heapBefore, heapAfter) },
          { measure: 'worker thread heap after GC (MB)', before: round(workerBefore / MB), after: round(workerAfter / MB), growth_pct: growth(workerBefore, workerAfter) },
          { measure: 'process RSS (MB)', before: round(rssBefore / MB, 1), after: round(rssAfter / MB, 1), growth_pct: growth(rssBefore, rssAfter) },
        ],
        notes: [
          `Baseline after ${warmup} warm-up conversations. Main heap: process.memoryUsage().heapUsed after forced GCs.`,
          "Worker heap: the actor thread's own v8 heap after forced GCs, read by a conversation calling the heap_stats bench tool on that thread.",
          'RSS includes freed-but-retained allocator pages, so it is reported but is a weaker signal than the heaps.',
          "Conversations use the default storage: each is kept in the supervisor's own directory, removed as it closes.",
        ],
      };
    } finally {
      await supervisor.close();
      await mockServer.close();
      workspace.remove();
    }
  },
};
