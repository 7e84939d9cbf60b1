import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, LLM, type LLMOptions, type ToolRef } from '@troupe/core';
import { type MockServer, type MockServerOptions, startMockServer } from '@troupe/core/testing';
import { Supervisor, type SupervisorOptions } from '@troupe/workers';
import { afterAll, beforeAll } from 'vitest';

export function tempDir(prefix = 'troupe-workers-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A module of custom tools the worker threads import (built next to the tests). */
export const testToolsModule = new URL('./fixtures/test-tools.mjs', import.meta.url).href;

export function mockAgent(server: MockServer, tools: ToolRef[] = [], llm: Partial<LLMOptions> = {}): Agent {
  return new Agent({
    llm: new LLM({ model: 'openai/mock-model', baseUrl: server.url, apiKey: 'test-key', retryMinDelayMs: 5, retryMaxDelayMs: 20, ...llm }),
    tools,
  });
}

/**
 * Starts a mock model server and a supervisor for the tests of a file, and stops both after them.
 * `use` receives them once started.
 */
export function useRuntime(
  options: { supervisor?: SupervisorOptions; server?: MockServerOptions },
  use: (server: MockServer, supervisor: Supervisor) => void,
): void {
  let server: MockServer;
  let supervisor: Supervisor;
  beforeAll(async () => {
    server = await startMockServer(options.server);
    supervisor = new Supervisor(options.supervisor);
    use(server, supervisor);
  });
  afterAll(async () => {
    await supervisor.close();
    await server.close();
  });
}
