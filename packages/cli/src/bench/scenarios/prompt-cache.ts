import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, LLM, lookupPrice, totalCost } from '@troupe/core';
import type { MockTurn, MockUsageTotals } from '@troupe/core/testing';
import { newSupervisor, type Row, type Scenario, startBenchMock, tempDir } from '../harness.js';
import { round } from '../measure.js';

/** The recorded trajectory beside the repository (`../shared`, as in CI), unless `--trajectory` names another directory. */
const DEFAULT_TRAJECTORY = fileURLToPath(new URL('../../../../../../shared/fixtures/recorded-claude-trajectory/', import.meta.url));
/** The absolute paths of the recording, moved into the bench's workspace. */
const RECORDED_WORKSPACES = ['/Users/xingyaow/Projects/OpenHands/openhands-v1-dev/agent-sdk.worktree/telemetry', '/workspace'];
const MODEL = 'anthropic/claude-sonnet-4-20250514';
const PROMPT = "Hello! Can you create a new Python file named hello.py that prints 'Hello, World!'?";

interface RecordedResponse {
  choices: { message: { content: string | null; tool_calls: { id: string; function: { name: string; arguments: string } }[] } }[];
}

/** Claude's recorded replies as a mock script, without their recorded usage: the mock's Anthropic cache accounting counts the tokens. */
function recordedScript(directory: string, workspace: string): MockTurn[] {
  if (!existsSync(directory)) throw new Error(`The recorded Claude trajectory is not at ${directory}: pass --trajectory <dir> (the recorded-claude-trajectory fixture).`);
  const rewrite = (text: string): string => RECORDED_WORKSPACES.reduce((out, recorded) => out.split(recorded).join(workspace), text);
  return readdirSync(directory)
    .filter((file) => file.startsWith('litellm_proxy__') && file.endsWith('.json'))
    .sort()
    .map((file) => {
      const message = (JSON.parse(readFileSync(join(directory, file), 'utf8')).response as RecordedResponse).choices[0]!.message;
      return {
        reply: {
          type: 'tool_calls' as const,
          ...(message.content ? { text: rewrite(message.content) } : {}),
          calls: message.tool_calls.map((call) => ({ id: call.id, name: call.function.name, arguments: rewrite(call.function.arguments) })),
        },
      };
    });
}

export const promptCacheScenario: Scenario = {
  name: 'prompt-cache',
  description:
    'The recorded Claude trajectory replayed through the native Anthropic adapter against the mock (Anthropic cache accounting): input billed at full price and cost, with and without prompt caching.',
  async run(context) {
    const directory = context.trajectoryDir ?? DEFAULT_TRAJECTORY;
    const mock = await startBenchMock({ latencyMs: 0 });
    const supervisor = newSupervisor(1);
    const price = lookupPrice(MODEL)!;
    const runs: Array<{ caching: boolean; usage: MockUsageTotals; troupeCost: number; status: string }> = [];
    try {
      for (const caching of [true, false]) {
        const workspace = tempDir('troupe-bench-prompt-cache-');
        try {
          const llm = new LLM({ model: MODEL, baseUrl: mock.anthropicUrl, apiKey: 'bench', cachingPrompt: caching, maxRetries: 0 });
          const conversation = supervisor.conversation({ agent: new Agent({ llm, tools: [{ name: 'terminal' }, { name: 'file_editor' }] }), workspace: workspace.path });
          await mock.setScript(conversation.id, recordedScript(directory, workspace.path));
          await conversation.sendMessage(PROMPT);
          const status = await conversation.run();
          const usage = (await mock.usage()).conversations[conversation.id]!;
          runs.push({ caching, usage, troupeCost: totalCost(conversation.stats), status });
          await conversation.close();
        } finally {
          workspace.remove();
        }
      }
    } finally {
      await supervisor.close();
      await mock.close();
    }
    const inputCost = (usage: MockUsageTotals): number =>
      (usage.inputTokens * price.input + usage.cacheCreationInputTokens * price.cacheWrite! + usage.cacheReadInputTokens * price.cacheRead!) / 1e6;
    const cost = (usage: MockUsageTotals): number => inputCost(usage) + (usage.outputTokens * price.output) / 1e6;
    const rows: Row[] = runs.map(({ caching, usage, troupeCost, status }) => ({
      caching: caching ? 'on' : 'off',
      status,
      requests: usage.requests,
      input_tokens: usage.promptTokens,
      full_price_input_tokens: usage.inputTokens,
      cache_write_tokens: usage.cacheCreationInputTokens,
      cache_read_tokens: usage.cacheReadInputTokens,
      output_tokens: usage.outputTokens,
      cost_usd: round(cost(usage), 6),
      troupe_cost_usd: round(troupeCost, 6),
    }));
    const [on, off] = runs as [(typeof runs)[number], (typeof runs)[number]];
    if (on.status !== 'finished' || off.status !== 'finished') throw new Error(`The replay did not finish (caching on: ${on.status}, off: ${off.status}).`);
    return {
      name: 'prompt-cache',
      description: promptCacheScenario.description,
      params: { model: MODEL, trajectory: directory, steps: on.usage.requests, prices_per_million: price },
      figures: {
        full_price_input_tokens_with_caching: on.usage.inputTokens,
        full_price_input_tokens_without_caching: off.usage.inputTokens,
        full_price_input_ratio: round(on.usage.inputTokens / off.usage.inputTokens, 3),
        input_cost_ratio: round(inputCost(on.usage) / inputCost(off.usage), 3),
        cost_usd_with_caching: round(cost(on.usage), 6),
        cost_usd_without_caching: round(cost(off.usage), 6),
        cost_ratio: round(cost(on.usage) / cost(off.usage), 3),
      },
      rows,
      notes: [
        'Tokens are the mock\'s (JSON length / 4 per block), cached prefixes as Anthropic caches them (breakpoints, 20-block lookback, 1024-token minimum).',
        `Prices of ${MODEL} per million tokens: input $${price.input}, cache write $${price.cacheWrite}, cache read $${price.cacheRead}, output $${price.output}.`,
        'troupe_cost_usd is what Troupe itself recorded for the conversation; it equals cost_usd.',
      ],
    };
  },
};
