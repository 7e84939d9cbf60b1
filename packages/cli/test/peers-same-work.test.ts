import { fileURLToPath } from 'node:url';
import { buildSystemPrompt, DEFAULT_TOOLS, toChatTools, toModelTool, type ToolDefinition } from '@troupe/core';
import { mock, type MockServerProcess, type RecordedRequest } from '@troupe/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noopTool } from '../src/bench/bench-tools.js';
import { BENCH_MODEL, benchAgent, startBenchMock, stepsScript, tempDir } from '../src/bench/harness.js';
import { PEER_RUNNERS, type PeerRunnerName, type PeerTask } from '../src/bench/peers/peer-task.js';
import { runPeer } from '../src/bench/peers/run-peer.js';
import { peerRunProblems } from '../src/bench/peers/verify-peer-run.js';

/** The runner processes run compiled (worker threads and the Troupe tools load from dist). */
const ENTRY = fileURLToPath(new URL('../dist/bench/peers/peer-process.js', import.meta.url));
const STEPS = 2;
const CONVERSATIONS = 2;

let server: MockServerProcess;
const workspace = tempDir('troupe-peers-test-');

function task(runner: PeerRunnerName): PeerTask {
  return {
    runner,
    baseUrl: server.url,
    model: BENCH_MODEL,
    conversations: CONVERSATIONS,
    warmupConversations: 0,
    threads: 1,
    troupeTool: 'noop',
    workspace: workspace.path,
    systemPrompt: buildSystemPrompt(benchAgent(server.url).config, { workspace: workspace.path, secretNames: [], tools: [noopTool as ToolDefinition, ...DEFAULT_TOOLS], repositorySkills: [] }),
    userMessage: 'go',
    tools: toChatTools([noopTool as ToolDefinition, ...DEFAULT_TOOLS].map(toModelTool)),
    maxModelCalls: STEPS + 3,
  };
}

/** What the model is sent, without the fields the libraries add of their own accord (refusal: null, tool_choice, strict). */
function work(request: RecordedRequest) {
  return {
    model: request.body.model,
    messages: request.body.messages.map((message: any) => ({
      role: message.role,
      content: message.content,
      tool_calls: message.tool_calls?.map((call: any) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })),
      tool_call_id: message.tool_call_id,
    })),
    tools: request.body.tools.map((tool: any) => ({ name: tool.function.name, description: tool.function.description, parameters: tool.function.parameters })),
  };
}

beforeAll(async () => {
  server = await startBenchMock({ latencyMs: 0, defaultScript: stepsScript(STEPS), recordRequests: true });
});

afterAll(async () => {
  await server.close();
  workspace.remove();
});

describe('troupe bench --peers: the runners', () => {
  it('every runner completes every conversation and sends the model exactly what Troupe sends', async () => {
    const sent: Partial<Record<PeerRunnerName, ReturnType<typeof work>[]>> = {};
    for (const runner of PEER_RUNNERS) {
      await server.reset();
      const result = await runPeer(task(runner), { timeoutMs: 60_000, entry: ENTRY });
      expect(peerRunProblems(result, await server.usage(), { conversations: CONVERSATIONS, warmupConversations: 0, modelCallsPerConversation: STEPS + 1 }), runner).toEqual([]);
      expect(result.cpuUs, runner).toBeGreaterThan(0);
      expect(result.peakRssBytes, runner).toBeGreaterThan(0);
      const requests = await server.requests();
      expect(requests, runner).toHaveLength(CONVERSATIONS * (STEPS + 1));
      // Turn by turn (the conversations are alike, and OpenAI Agents sends no id to tell them apart).
      const byTurn = Array.from({ length: STEPS + 1 }, (_, turn) => work(requests.find((request) => request.turn === turn)!));
      for (const request of requests) expect(work(request), `${runner} turn ${request.turn}`).toEqual(byTurn[request.turn]);
      sent[runner] = byTurn;
    }
    expect(sent.troupe![0]!.messages.map((message: { role: string }) => message.role)).toEqual(['system', 'user']);
    for (const runner of PEER_RUNNERS) expect(sent[runner], runner).toEqual(sent.troupe);
  }, 120_000);

  it('a runner whose model call fails fails its run instead of reporting a time', async () => {
    await server.reset();
    await server.setDefaultScript([mock.toolCall('noop', {}, { faults: [{ type: 'http_error', status: 500 }] }), mock.finish('done')]);
    try {
      await expect(runPeer(task('openai-loop'), { timeoutMs: 60_000, entry: ENTRY })).rejects.toThrow(/openai-loop runner \(2 conversations\) exited with code 1 without a result: .*500/s);
    } finally {
      await server.setDefaultScript(stepsScript(STEPS));
    }
  }, 60_000);
});
