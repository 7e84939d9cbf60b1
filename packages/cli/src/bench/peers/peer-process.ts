import { cpuSince, RssSampler } from '../measure.js';
import { PEER_RESULT_PREFIX, type PeerClock, type PeerOutcome, type PeerRunnerFactory } from './peer-runner.js';
import type { PeerResult, PeerRunnerName, PeerTask } from './peer-task.js';

/**
 * A runner's own process: `node peer-process.js '<PeerTask as JSON>'`. Loads only its runner's
 * module (so its memory and CPU are that runner's), warms up, runs the conversations at once and
 * prints `PEER_RESULT=<PeerResult as JSON>`. Any error exits non-zero: the scenario fails.
 * The task comes from the parent, which built it from `PeerTaskSchema` and checks the result.
 */

const RUNNER_MODULES: Record<PeerRunnerName, string> = {
  troupe: './troupe-runner.js',
  'openai-loop': './openai-loop-runner.js',
  'openai-loop-threads': './openai-loop-threads-runner.js',
  'ai-sdk': './ai-sdk-runner.js',
  'openai-agents': './openai-agents-runner.js',
};

class SpanClock implements PeerClock {
  #wallStart = 0;
  #cpuStart: NodeJS.CpuUsage | undefined;
  wallMs = Number.NaN;
  cpuUs = Number.NaN;

  start(): void {
    this.#cpuStart = process.cpuUsage();
    this.#wallStart = performance.now();
  }

  stop(): void {
    this.wallMs = performance.now() - this.#wallStart;
    this.cpuUs = cpuSince(this.#cpuStart!);
  }
}

function summarize(outcomes: PeerOutcome[], clock: SpanClock, peakRssBytes: number): PeerResult {
  const counted = outcomes.flatMap((outcome) => (outcome.modelCalls === null ? [] : [outcome.modelCalls]));
  return {
    wallMs: clock.wallMs,
    cpuUs: clock.cpuUs,
    peakRssBytes,
    conversations: outcomes.length,
    finished: outcomes.filter((outcome) => outcome.finished).length,
    modelCalls: counted.length === 0 ? null : { min: Math.min(...counted), max: Math.max(...counted), total: counted.reduce((a, b) => a + b, 0) },
    conversationIds: outcomes.flatMap((outcome) => (outcome.id === null ? [] : [outcome.id])),
  };
}

async function main(): Promise<void> {
  const sampler = new RssSampler();
  const task = JSON.parse(process.argv[2] ?? '') as PeerTask;
  const { createRunner } = (await import(RUNNER_MODULES[task.runner])) as { createRunner: PeerRunnerFactory };
  const runner = await createRunner(task);
  try {
    if (task.warmupConversations > 0) {
      const warm = await runner.run(task.warmupConversations, 'warmup-', { start: () => undefined, stop: () => undefined });
      const unfinished = warm.filter((outcome) => !outcome.finished).length;
      if (unfinished > 0) throw new Error(`${task.runner}: ${unfinished} of ${warm.length} warm-up conversations did not finish.`);
    }
    const clock = new SpanClock();
    const outcomes = await runner.run(task.conversations, `${task.runner}-`, clock);
    const result = summarize(outcomes, clock, sampler.stop());
    process.stdout.write(`${PEER_RESULT_PREFIX}${JSON.stringify(result)}\n`);
  } finally {
    await runner.close();
  }
}

// Exit when done, even if a library leaves a keep-alive socket or timer behind.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
