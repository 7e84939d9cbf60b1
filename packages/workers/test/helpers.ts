import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, LLM, type LLMOptions, type ToolRef } from '@troupe/core';
import type { MockServer } from '@troupe/core/testing';

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
