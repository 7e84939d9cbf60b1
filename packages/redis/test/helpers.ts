import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentConfigSchema, defineTool, type ToolDefinition } from '@troupe/core';
import { afterAll, beforeAll, describe } from 'vitest';
import { z } from 'zod';
import { hasRedisServer, type RedisServer, startRedisServer } from '../src/testing/index.js';

const available = hasRedisServer();
if (!available && process.env.CI) {
  throw new Error('redis-server is not installed: .ci/run installs it (apt-get install -y redis-server); the Redis tests must not skip in CI.');
}

/** `describe` with a fresh redis-server on 127.0.0.1 for the block (skipped outside CI when none is installed). */
export function describeWithRedis(name: string, body: (redis: () => RedisServer) => void): void {
  (available ? describe : describe.skip)(name, () => {
    let server: RedisServer | undefined;
    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error('redis-server is not started yet');
      return server;
    });
  });
}

export function tempDir(prefix = 'troupe-redis-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function agentWith(tools: string[], baseUrl = 'http://127.0.0.1:9/v1') {
  return AgentConfigSchema.parse({ llm: { model: 'openai/mock-model', baseUrl }, tools: tools.map((name) => ({ name })) });
}

/** A tool with a side effect: counts its calls (tests check it never runs twice). */
export function countingTool(counter: { calls: number }): ToolDefinition {
  return defineTool({
    name: 'count',
    description: 'counts',
    parameters: z.object({ text: z.string() }),
    execute: ({ text }) => {
      counter.calls++;
      return { content: `counted ${text}` };
    },
  });
}
