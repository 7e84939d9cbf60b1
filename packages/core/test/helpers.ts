import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  AgentConfigSchema,
  ConversationRuntime,
  type ConversationRuntimeOptions,
  defineTool,
  type Event,
  LLM,
  type LLMOptions,
  type ToolDefinition,
} from '../src/index.js';
import { afterAll, beforeAll } from 'vitest';
import { type MockServer, startMockServer } from '../src/testing/index.js';

export function tempDir(prefix = 'troupe-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An LLM pointed at the mock server, with fast retries so tests do not wait. */
export function mockLLM(server: MockServer, options: Partial<LLMOptions> = {}): LLM {
  return new LLM({ model: 'openai/mock-model', baseUrl: server.url, apiKey: 'test-key', retryMinDelayMs: 5, retryMaxDelayMs: 20, maxRetries: 3, ...options });
}

/** An LLM on the mock's Anthropic Messages route, as `anthropic/claude-sonnet-4-5` (native adapter, prompt caching on). */
export function anthropicLLM(server: MockServer, options: Partial<LLMOptions> = {}): LLM {
  return mockLLM(server, { model: 'anthropic/claude-sonnet-4-5', baseUrl: server.anthropicUrl, ...options });
}

/** A tool that records its calls and echoes its input. */
export function echoTool(calls: string[] = [], options: { readOnly?: boolean; delayMs?: number } = {}): ToolDefinition {
  return defineTool({
    name: 'echo',
    description: 'Echoes text back.',
    parameters: z.object({ text: z.string() }),
    readOnly: options.readOnly ?? false,
    async execute({ text }, { signal }) {
      calls.push(text);
      if (options.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.delayMs);
          signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
      }
      return `echo: ${text}`;
    },
  });
}

export interface TestConversation {
  runtime: ConversationRuntime;
  events: Event[];
  kinds(): string[];
}

export function createConversation(
  llm: LLM | ConversationRuntimeOptions['llm'],
  tools: ToolDefinition[],
  options: Partial<ConversationRuntimeOptions> = {},
): TestConversation {
  const events: Event[] = [];
  const config = AgentConfigSchema.parse({ llm: { model: 'openai/mock-model' } });
  const runtime = new ConversationRuntime({
    agent: config,
    llm,
    tools,
    workspace: options.workspace ?? tempDir(),
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { runtime, events, kinds: () => runtime.events.map((e) => e.kind) };
}

/** Starts a mock model server for the tests of a file and stops it after them; `use` receives it. */
export function useMockServer(use: (server: MockServer) => void): void {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
    use(server);
  });
  afterAll(() => server.close());
}
