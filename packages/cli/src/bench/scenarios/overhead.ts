import OpenAI from 'openai';
import { DEFAULT_TOOLS, toChatTools, toModelTool, type ToolDefinition } from '@troupe/core';
import { noopTool } from '../bench-tools.js';
import { BENCH_MODEL, benchAgent, inProcessRuntime, MEMORY_ONLY, MEMORY_ONLY_NOTE, newSupervisor, type Scenario, startBenchMock, stepsScript, tempDir , BENCH_CONVERSATION } from '../harness.js';
import { cpuSince, round } from '../measure.js';
import { openAILoop } from '../openai-loop.js';

export const overheadScenario: Scenario = {
  name: 'overhead',
  description: 'One conversation, K tool steps: runtime CPU per step of a Troupe actor vs the same core loop in-process vs a bare openai-client loop (the floor).',
  async run(context) {
    const steps = context.tiny ? 20 : context.quick ? 30 : 200;
    const repeats = context.quick ? 1 : 5;
    const mock = await startBenchMock({ latencyMs: 0, defaultScript: stepsScript(steps) });
    const workspace = tempDir('troupe-bench-overhead-');
    const agent = benchAgent(mock.url);
    const supervisor = newSupervisor(1);
    const client = new OpenAI({ apiKey: 'bench', baseURL: mock.url, maxRetries: 0 });
    const calls = steps + 1;
    try {
      const variants: Record<string, () => Promise<{ cpuUs: number; wallMs: number }>> = {
        troupe_actor: async () => {
          const conversation = supervisor.conversation({ ...BENCH_CONVERSATION, ...MEMORY_ONLY, agent, workspace: workspace.path });
          await conversation.ready();
          const cpu = process.cpuUsage();
          const started = performance.now();
          await conversation.sendMessage('go');
          const status = await conversation.run();
          const result = { cpuUs: cpuSince(cpu), wallMs: performance.now() - started };
          if (status !== 'finished') throw new Error(`overhead: the actor run ended ${status}`);
          await conversation.close();
          return result;
        },
        in_process: async () => {
          const runtime = inProcessRuntime(agent, workspace.path);
          const cpu = process.cpuUsage();
          const started = performance.now();
          await runtime.sendMessage('go');
          const status = await runtime.run();
          const result = { cpuUs: cpuSince(cpu), wallMs: performance.now() - started };
          if (status !== 'finished') throw new Error(`overhead: the in-process run ended ${status}`);
          await runtime.close();
          return result;
        },
        bare_client: async () => {
          const cpu = process.cpuUsage();
          const started = performance.now();
          // The floor: the hand-written loop on the bare client (same tools, same requests).
          const floor = await openAILoop({
            client,
            model: BENCH_MODEL,
            systemPrompt: 'You are an agent.',
            userMessage: 'go',
            tools: toChatTools([noopTool as ToolDefinition, ...DEFAULT_TOOLS].map(toModelTool)),
            conversationId: `floor-${Math.random()}`,
            maxModelCalls: calls,
          });
          if (!floor.finished || floor.modelCalls !== calls) throw new Error(`overhead: the floor loop made ${floor.modelCalls} calls (finished: ${floor.finished}), expected ${calls}`);
          return { cpuUs: cpuSince(cpu), wallMs: performance.now() - started };
        },
      };
      const best: Record<string, { cpuUs: number; wallMs: number }> = {};
      // Warm up every variant (JIT, connections, the actor's thread), then keep the median of the repeats.
      for (const run of Object.values(variants)) await run();
      for (const [name, run] of Object.entries(variants)) {
        const samples: { cpuUs: number; wallMs: number }[] = [];
        for (let i = 0; i < repeats; i++) samples.push(await run());
        samples.sort((a, b) => a.cpuUs - b.cpuUs);
        best[name] = samples[Math.floor(samples.length / 2)]!;
        context.log(`overhead: ${name} ${round(best[name].cpuUs / calls, 0)} µs CPU per step`);
      }
      const perStep = (name: string) => best[name]!.cpuUs / calls;
      const rows = Object.entries(best).map(([name, value]) => ({
        variant: name,
        steps: calls,
        cpu_us_per_step: round(value.cpuUs / calls, 0),
        wall_ms_per_step: round(value.wallMs / calls, 3),
        vs_in_process: round(value.cpuUs / best.in_process!.cpuUs, 2),
        vs_bare_client: round(value.cpuUs / best.bare_client!.cpuUs, 2),
      }));
      return {
        name: 'overhead',
        description: this.description,
        params: { steps, model_calls: calls, repeats, latency_ms: 0, threads: 1 },
        figures: {
          model_calls: calls,
          troupe_cpu_us_per_step: round(perStep('troupe_actor'), 0),
          in_process_cpu_us_per_step: round(perStep('in_process'), 0),
          bare_client_cpu_us_per_step: round(perStep('bare_client'), 0),
          troupe_vs_in_process: round(perStep('troupe_actor') / perStep('in_process'), 2),
          troupe_vs_bare_client: round(perStep('troupe_actor') / perStep('bare_client'), 2),
        },
        rows,
        notes: [
          'CPU = process.cpuUsage() of the bench process (main + worker threads); the mock model runs in its own process.',
          `Median of ${repeats} run(s) after one warm-up each; a step = one model call plus its tool calls (the history grows each step).`,
          MEMORY_ONLY_NOTE,
        ],
      };
    } finally {
      await supervisor.close();
      await mock.close();
      workspace.remove();
    }
  },
};
