import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, ConversationRuntime, type Durability, LLM, type Logger, type ToolDefinition } from '@troupe/core';
import { mock, type MockScript, type MockServerOptions, type MockServerProcess, startMockServerProcess } from '@troupe/core/testing';
import { type Conversation, Supervisor } from '@troupe/workers';
import { BENCH_TOOLS_MODULE, burnTool, heapStatsTool, noopTool } from './bench-tools.js';

export const BENCH_MODEL = 'mock/bench-model';

/** Options of every bench conversation: its scripts repeat one action on purpose, so stuck detection is off. */
export const BENCH_CONVERSATION = { stuckDetection: false } as const;

/**
 * The pure-overhead scenarios keep their conversations in memory only, so that they measure the
 * runtime; by default a conversation without a `persistenceDir` is written to the supervisor's own
 * directory (the persistence scenario measures that).
 */
export const MEMORY_ONLY = { persistenceDir: false } as const;
export const MEMORY_ONLY_NOTE =
  "Conversations are memory-only (persistenceDir: false): the runtime's own cost. By default a conversation without a persistenceDir is also written to its supervisor's recovery directory; the persistence scenario measures that.";

export interface ScenarioContext {
  quick: boolean;
  tiny: boolean;
  /** Threads of the multi-thread runs (default: one per core). */
  threads: number;
  /** The recorded Claude trajectory (`--trajectory`) the prompt-cache scenario replays; default: the fixture beside the repository. */
  trajectoryDir?: string;
  log(line: string): void;
}

export type Row = Record<string, string | number | null>;

export interface ScenarioResult {
  name: string;
  description: string;
  params: Record<string, unknown>;
  /** The headline numbers, flat. */
  figures: Record<string, number | null>;
  /** The table, one row per measured configuration. */
  rows: Row[];
  notes: string[];
}

export interface Scenario {
  name: string;
  description: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}

/** The mock model in its own process, so its CPU and memory are not counted as ours. */
export function startBenchMock(options: MockServerOptions): Promise<MockServerProcess> {
  return startMockServerProcess({ recordRequests: false, ...options });
}

/** K tool steps, then finish: K + 1 model calls. */
export function stepsScript(steps: number, tool = 'noop', args: Record<string, unknown> = {}): MockScript {
  return [...Array.from({ length: steps }, () => mock.toolCall(tool, args)), mock.finish('done')];
}

/** The bench's agent: the mock model and the bench tools (loaded by the worker threads from dist). */
export function benchAgent(baseUrl: string, tools: readonly string[] = ['noop']): Agent {
  return new Agent({
    llm: new LLM({ model: BENCH_MODEL, baseUrl, maxRetries: 3, retryMinDelayMs: 50, retryMaxDelayMs: 500 }),
    tools: tools.map((name) => ({ name, module: BENCH_TOOLS_MODULE })),
    // The bench measures the loop, not summaries (and its scripts count turns by assistant messages, which condensation lowers).
    condenser: null,
  });
}

const IN_PROCESS_TOOLS: Record<string, ToolDefinition> = { noop: noopTool, burn: burnTool, heap_stats: heapStatsTool } as Record<string, ToolDefinition>;

/** The same core loop on the main thread (the in-process baseline). */
export function inProcessRuntime(agent: Agent, workspace: string, id?: string): ConversationRuntime {
  return new ConversationRuntime({
    ...(id === undefined ? {} : { id }),
    agent: agent.config,
    llm: new LLM(agent.config.llm),
    tools: agent.config.tools.map((ref) => IN_PROCESS_TOOLS[ref.name]!),
    workspace,
    logger: silentLogger,
    stuckDetection: false,
  });
}

const noop = (): void => undefined;
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function newSupervisor(threads: number): Supervisor {
  return new Supervisor({ threads, logger: silentLogger, closeGraceMs: 2_000 });
}

export interface ActorRun {
  wallMs: number;
  statuses: Record<string, number>;
  /** Each conversation's id and how its run ended, in creation order. */
  conversations: { id: string; status: string }[];
}

/** Creates `n` conversations (ready, idle), hands them to `onIdle`, then runs them all at once and closes them. */
export async function runActors(options: {
  supervisor: Supervisor;
  agent: Agent;
  n: number;
  workspace: string;
  persistenceDir?: string | false;
  durability?: Durability;
  onIdle?: (conversations: Conversation[]) => void | Promise<void>;
  onStart?: () => void;
  /** Called when the last run ended, before the conversations are closed. */
  onEnd?: () => void;
}): Promise<ActorRun> {
  const { supervisor, agent, n, workspace } = options;
  const conversations = Array.from({ length: n }, () =>
    supervisor.conversation({
      ...BENCH_CONVERSATION,
      agent,
      workspace,
      ...(options.persistenceDir === undefined ? {} : { persistenceDir: options.persistenceDir }),
      ...(options.durability === undefined ? {} : { durability: options.durability }),
    }),
  );
  await Promise.all(conversations.map((conversation) => conversation.ready()));
  await options.onIdle?.(conversations);
  options.onStart?.();
  const started = performance.now();
  const statuses = await Promise.all(
    conversations.map(async (conversation) => {
      await conversation.sendMessage('go');
      return conversation.run();
    }),
  );
  const wallMs = performance.now() - started;
  options.onEnd?.();
  await Promise.all(conversations.map((conversation) => conversation.close()));
  return { wallMs, statuses: countBy(statuses), conversations: conversations.map((conversation, i) => ({ id: conversation.id, status: statuses[i]! })) };
}

/** Runs `n` in-process conversations at once on the main thread. */
export async function runInProcess(agent: Agent, n: number, workspace: string): Promise<ActorRun> {
  const runtimes = Array.from({ length: n }, () => inProcessRuntime(agent, workspace));
  const started = performance.now();
  const statuses = await Promise.all(
    runtimes.map(async (runtime) => {
      await runtime.sendMessage('go');
      return runtime.run();
    }),
  );
  const wallMs = performance.now() - started;
  await Promise.all(runtimes.map((runtime) => runtime.close()));
  return { wallMs, statuses: countBy(statuses), conversations: runtimes.map((runtime, i) => ({ id: runtime.id, status: statuses[i]! })) };
}

export function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

export function allFinished(statuses: Record<string, number>): boolean {
  return Object.keys(statuses).every((status) => status === 'finished');
}

export const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
