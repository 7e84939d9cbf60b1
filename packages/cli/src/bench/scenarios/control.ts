import type { Event } from '@troupe/core';
import { mock } from '@troupe/core/testing';
import type { Conversation } from '@troupe/workers';
import { benchAgent, MEMORY_ONLY, MEMORY_ONLY_NOTE, newSupervisor, type Scenario, sleepMs, startBenchMock, tempDir , BENCH_CONVERSATION } from '../harness.js';
import { round, summarizeSamples } from '../measure.js';

/** Resolves with the first event (from now on) that matches. */
function nextEvent(conversation: Conversation, match: (event: Event) => boolean, timeoutMs = 60_000): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      conversation.off('event', listener);
      reject(new Error(`control: no matching event on ${conversation.id} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (event: Event): void => {
      if (!match(event)) return;
      clearTimeout(timer);
      conversation.off('event', listener);
      resolve(event);
    };
    conversation.on('event', listener);
  });
}

export const controlScenario: Scenario = {
  name: 'control',
  description: 'Under N running conversations: p50/p99 of sendMessage acknowledgement, admission (send → seen in a model request), pause() → paused, interrupt() → paused.',
  async run(context) {
    const background = context.tiny ? 20 : context.quick ? 50 : 1_000;
    const samples = context.tiny ? 5 : context.quick ? 10 : 50;
    // Realistic model latencies are seconds; the load must fit the machine (2 cores: ~200 steps/s).
    const latencyMs = context.tiny ? 250 : context.quick ? 500 : 5_000;
    // Long enough never to end during the measurement.
    const longScript = Array.from({ length: 400 }, () => mock.toolCall('noop', {}));
    const loadMock = await startBenchMock({ latencyMs, defaultScript: longScript });
    // The sampled conversations use a second mock that records requests, to see when a message reaches the model.
    const probeMock = await startBenchMock({ latencyMs, defaultScript: longScript, recordRequests: true });
    const workspace = tempDir('troupe-bench-control-');
    const supervisor = newSupervisor(context.threads);
    const load: Conversation[] = [];
    const probes: Conversation[] = [];
    const ack: number[] = [];
    const admission: number[] = [];
    const pause: number[] = [];
    const interrupt: number[] = [];
    try {
      const loadAgent = benchAgent(loadMock.url);
      const probeAgent = benchAgent(probeMock.url);
      for (let i = 0; i < background; i++) load.push(supervisor.conversation({ ...BENCH_CONVERSATION, ...MEMORY_ONLY, agent: loadAgent, workspace: workspace.path }));
      for (let i = 0; i < samples; i++) probes.push(supervisor.conversation({ ...BENCH_CONVERSATION, ...MEMORY_ONLY, agent: probeAgent, workspace: workspace.path }));
      const all = [...load, ...probes];
      await Promise.all(all.map((conversation) => conversation.ready()));
      const runs = all.map(async (conversation) => {
        await conversation.sendMessage('go');
        void conversation.run().catch(() => undefined);
      });
      await Promise.all(runs);
      context.log(`control: ${all.length} conversations running; measuring ${samples} samples each of send, admission, pause, interrupt`);
      // Let the load reach its steady state.
      await sleepMs(latencyMs * 2);

      const sentAt = new Map<string, number>();
      await Promise.all(
        probes.map(async (conversation, index) => {
          await sleepMs(Math.random() * latencyMs);
          // sendMessage: acknowledged (queued) while the agent runs; admitted at the next step boundary.
          const marker = `probe-${index}-${Math.random().toString(36).slice(2)}`;
          sentAt.set(marker, Date.now());
          let started = performance.now();
          const receipt = await conversation.sendMessage(marker);
          ack.push(performance.now() - started);
          // Admitted, then answered by the model (so the request that carried it is recorded).
          await nextEvent(conversation, (event) => event.id === receipt.id);
          await nextEvent(conversation, (event) => event.kind === 'ActionEvent');

          // pause(): lets the model call in flight finish, stops at the step boundary.
          await sleepMs(Math.random() * latencyMs);
          started = performance.now();
          await conversation.pause();
          pause.push(performance.now() - started);
          if (conversation.status !== 'paused') throw new Error(`control: pause() left ${conversation.status}`);
          void conversation.run().catch(() => undefined);
          await nextEvent(conversation, (event) => event.kind === 'ActionEvent');

          // interrupt(): aborts the model call in flight now.
          await sleepMs(Math.random() * latencyMs);
          started = performance.now();
          await conversation.interrupt();
          interrupt.push(performance.now() - started);
          if (conversation.status !== 'paused') throw new Error(`control: interrupt() left ${conversation.status}`);
        }),
      );
      const stillRunning = load.filter((conversation) => conversation.status === 'running').length;

      // Admission: from send to the first model request whose messages hold the marker.
      const requests = await probeMock.requests();
      for (const [marker, sent] of sentAt) {
        const first = requests.find((request) => JSON.stringify(request.body.messages).includes(marker));
        if (first) admission.push(Math.max(0, first.receivedAt - sent));
      }
      const a = summarizeSamples(ack);
      const m = summarizeSamples(admission);
      const p = summarizeSamples(pause);
      const i = summarizeSamples(interrupt);
      const row = (name: string, s: ReturnType<typeof summarizeSamples>) => ({ operation: name, samples: s.n, p50_ms: round(s.p50, 1), p99_ms: round(s.p99, 1), max_ms: round(s.max, 1) });
      return {
        name: 'control',
        description: this.description,
        params: { running_conversations: all.length, samples, latency_ms: latencyMs, threads: context.threads },
        figures: {
          running_conversations: all.length,
          load_still_running_at_end: stillRunning,
          send_ack_p50_ms: round(a.p50, 1),
          send_ack_p99_ms: round(a.p99, 1),
          admission_p50_ms: round(m.p50, 1),
          admission_p99_ms: round(m.p99, 1),
          pause_p50_ms: round(p.p50, 1),
          pause_p99_ms: round(p.p99, 1),
          interrupt_p50_ms: round(i.p50, 1),
          interrupt_p99_ms: round(i.p99, 1),
        },
        rows: [row('sendMessage ack', a), row('admission (send → model request)', m), row('pause() → paused', p), row('interrupt() → paused', i)],
        notes: [
          `Each model call takes ${latencyMs} ms. pause() waits for the call in flight by design (no wasted tokens), so it is bounded by that latency; interrupt() aborts it.`,
          'Admission is bounded by the step in progress: a message is admitted at the next step boundary. Timestamps: Date.now() here and in the mock process (same clock).',
          MEMORY_ONLY_NOTE,
        ],
      };
    } finally {
      await supervisor.close();
      await loadMock.close();
      await probeMock.close();
      workspace.remove();
    }
  },
};
