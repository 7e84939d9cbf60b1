import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { buildSystemPrompt, DEFAULT_TOOLS, toChatTools, toModelTool, type ToolDefinition } from '@troupe/core';
import { burnTool, noopTool } from '../bench-tools.js';
import { BENCH_MODEL, benchAgent, type Scenario, startBenchMock, stepsScript, tempDir } from '../harness.js';
import { type PeerRunnerName, PEER_RUNNERS, type PeerTask } from '../peers/peer-task.js';
import { summarizePeers, type WorkloadKey, type WorkloadRuns } from '../peers/peer-summary.js';
import { runPeer } from '../peers/run-peer.js';
import { peerRunProblems } from '../peers/verify-peer-run.js';

const STEPS = 10;
const LATENCY_MS = 50;
const BURN_MS = 5;
const CALLS = STEPS + 1;
const RUN_TIMEOUT_MS = 10 * 60_000;

interface Workload {
  key: WorkloadKey;
  n: number;
  tool: 'noop' | 'burn';
}

const TOOLS: Record<Workload['tool'], { definition: ToolDefinition; args: Record<string, unknown> }> = {
  noop: { definition: noopTool as ToolDefinition, args: {} },
  burn: { definition: burnTool as ToolDefinition, args: { ms: BURN_MS } },
};

/** Exact versions of the runners' packages, as the CLI's package.json pins them. */
function pinnedVersions(): Record<string, string> {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
  return { ...manifest.dependencies, ...manifest.devDependencies };
}

function runnerLabels(threads: number): Record<PeerRunnerName, string> {
  const v = pinnedVersions();
  return {
    troupe: `Troupe, ${threads} threads`,
    'openai-loop': `openai ${v.openai} loop, 1 thread`,
    'openai-loop-threads': `openai ${v.openai} loop, ${threads} threads`,
    'ai-sdk': `AI SDK ${v.ai}`,
    'openai-agents': `OpenAI Agents ${v['@openai/agents']}`,
  };
}

/** The best wall time on `cores` cores: the chain of model calls and tools, or all the tools' CPU spread over the cores. */
function idealMs(workload: Workload, cores: number): number {
  const chain = CALLS * LATENCY_MS + (workload.tool === 'burn' ? STEPS * BURN_MS : 0);
  return workload.tool === 'burn' ? Math.max(chain, (workload.n * STEPS * BURN_MS) / cores) : chain;
}

export const peersScenario: Scenario = {
  name: 'peers',
  description: `The same agent run by Troupe and its peers (a hand-written openai loop on 1 and on every thread, the AI SDK, OpenAI Agents JS), each in its own process, one after another against one mock: N conversations × K=${STEPS} tool steps at L=${LATENCY_MS} ms per model call.`,
  async run(context) {
    const [small, large] = context.tiny ? [4, 10] : context.quick ? [20, 100] : [100, 1_000];
    const workloads: Workload[] = [
      { key: 'small', n: small, tool: 'noop' },
      { key: 'large', n: large, tool: 'noop' },
      { key: 'cpu_tools', n: small, tool: 'burn' },
    ];
    const repeats = context.quick ? 1 : 3;
    const warmupConversations = context.tiny ? 0 : 4;
    const cores = availableParallelism();
    const labels = runnerLabels(context.threads);
    const mock = await startBenchMock({ latencyMs: LATENCY_MS });
    const workspace = tempDir('troupe-bench-peers-');
    const measured: WorkloadRuns[] = [];
    try {
      for (const workload of workloads) {
        const tool = TOOLS[workload.tool];
        await mock.setDefaultScript(stepsScript(STEPS, workload.tool, tool.args));
        const task: Omit<PeerTask, 'runner'> = {
          baseUrl: mock.url,
          model: BENCH_MODEL,
          conversations: workload.n,
          warmupConversations,
          threads: context.threads,
          troupeTool: workload.tool,
          workspace: workspace.path,
          systemPrompt: buildSystemPrompt(benchAgent(mock.url, [workload.tool]).config, { workspace: workspace.path, secretNames: [], tools: [tool.definition, ...DEFAULT_TOOLS], repositorySkills: [] }),
          userMessage: 'go',
          tools: toChatTools([tool.definition, ...DEFAULT_TOOLS].map(toModelTool)),
          maxModelCalls: CALLS + 2,
        };
        const runs: WorkloadRuns = { workload: workload.key, n: workload.n, modelCallsPerConversation: CALLS, idealMs: idealMs(workload, cores), runs: {} };
        // Runners take turns within each repeat, so a change in the machine's load falls on all of them.
        for (let repeat = 1; repeat <= repeats; repeat++) {
          for (const runner of PEER_RUNNERS) {
            await mock.reset();
            const result = await runPeer({ ...task, runner }, { timeoutMs: RUN_TIMEOUT_MS });
            const problems = peerRunProblems(result, await mock.usage(), { conversations: workload.n, warmupConversations, modelCallsPerConversation: CALLS });
            if (problems.length > 0) throw new Error(`peers ${workload.key} N=${workload.n}, ${labels[runner]}: ${problems.join('; ')}`);
            (runs.runs[runner] ??= []).push(result);
            context.log(`peers: ${workload.key} N=${workload.n} run ${repeat}/${repeats} ${runner}: ${Math.round(result.wallMs)} ms, ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB`);
          }
        }
        measured.push(runs);
      }
      const { rows, figures } = summarizePeers(measured, labels);
      const v = pinnedVersions();
      return {
        name: 'peers',
        description: this.description,
        params: { sizes: { small, large, cpu_tools: small }, steps: STEPS, model_calls_per_conversation: CALLS, latency_ms: LATENCY_MS, burn_ms: BURN_MS, repeats, warmup_conversations: warmupConversations, threads: context.threads, cores, versions: { openai: v.openai, ai: v.ai, '@ai-sdk/openai': v['@ai-sdk/openai'], '@openai/agents': v['@openai/agents'] } },
        figures,
        rows,
        notes: [
          `small/large: a no-op tool; cpu_tools: a tool burning ${BURN_MS} ms of CPU. ideal = ${CALLS} calls × ${LATENCY_MS} ms (+ the tools' CPU in the chain, or all the tools' CPU over ${cores} cores, whichever is longer).`,
          `Median of ${repeats} run(s), each in a fresh process after ${warmupConversations} warm-up conversation(s); wall = from the start of the conversations (Troupe: created and ready) to the end of the last one. vs_loop / vs_ai_sdk = wall ÷ that runner's wall.`,
          'CPU = process.cpuUsage() of the runner process (all its threads) over the wall span ÷ model calls; peak RSS sampled in the runner process from its start. The mock runs in its own process.',
          'Same work for all: Troupe\'s system prompt and tool JSON, the same tool code, the same scripted replies; every conversation is checked against the mock\'s request counts. OpenAI Agents runs with tracing off.',
          `The newest releases that run on Node 20 (ai ${v.ai}, @ai-sdk/openai ${v['@ai-sdk/openai']}, @openai/agents ${v['@openai/agents']}): ai 7 / @ai-sdk/openai 4 and @openai/agents ≥ 0.15 (on openai 7) need Node ≥ 22.`,
        ],
      };
    } finally {
      await mock.close();
      workspace.remove();
    }
  },
};
