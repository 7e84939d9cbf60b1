import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, contentText, type ConversationStatus, type Event, LLM, type LLMOptions, subConversationId, type ToolRef } from '@troupe/core';
import { mock, type MockServer, type MockServerOptions, type MockTurn, startMockServer } from '@troupe/core/testing';
import { type Conversation, Supervisor, type SupervisorOptions } from '@troupe/workers';
import { afterAll, afterEach, beforeAll } from 'vitest';

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

/** A mock model server for a file's tests, and a supervisor per test (`start`), closed after it. */
export function useSupervisorPerTest(): { readonly server: MockServer; start(options?: SupervisorOptions): Supervisor; close(): Promise<void> } {
  let server: MockServer;
  let current: Supervisor | undefined;
  const close = async (): Promise<void> => {
    const supervisor = current;
    current = undefined;
    await supervisor?.close();
  };
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());
  afterEach(close);
  return {
    get server() {
      return server;
    },
    start(options) {
      current = new Supervisor(options);
      return current;
    },
    close,
  };
}

/** Resolves with the first event from now on that matches (no timeout: the test's own applies). */
export function eventWhere(conversation: Conversation, match: (event: Event) => boolean): Promise<Event> {
  return new Promise((resolve) => {
    const listener = (event: Event): void => {
      if (!match(event)) return;
      conversation.off('event', listener);
      resolve(event);
    };
    conversation.on('event', listener);
  });
}

/** The results (observations and error results) among events, by the tool they answer. */
export function resultsOf(events: readonly Event[], toolName: string): Event[] {
  return events.filter((event) => (event.kind === 'ObservationEvent' || event.kind === 'AgentErrorEvent') && event.tool_name === toolName);
}

/** What the test tools' `probe` reported (JSON in its content) per call, or the error of a call that failed. */
export function probeReports(events: readonly Event[]): Record<string, unknown>[] {
  return resultsOf(events, 'probe').map((event) =>
    event.kind === 'ObservationEvent' ? (JSON.parse(contentText(event.observation.content)) as Record<string, unknown>) : { error: event.kind === 'AgentErrorEvent' ? event.error : null },
  );
}

/**
 * Sends a message and starts the run; resolves with the run's outcome still to come, once the run
 * has started (and, with `acting`, once an action of that tool is running).
 */
export async function startRun(conversation: Conversation, acting?: string): Promise<{ outcome: Promise<ConversationStatus> }> {
  const action = acting ? eventWhere(conversation, (event) => event.kind === 'ActionEvent' && event.tool_name === acting) : null;
  await conversation.sendMessage('go');
  const outcome = conversation.run();
  await action;
  return { outcome };
}

/**
 * Scripts a parent that spawns `names` and delegates a task to each, then finishes; each child runs
 * `childTurns(name)`. Returns the children's conversation ids (known before they exist).
 */
export function scriptDelegation(server: MockServer, parentId: string, names: readonly string[], childTurns: (name: string) => MockTurn[]): string[] {
  server.setScript(parentId, [
    mock.toolCall('delegate', { command: 'spawn', ids: names }),
    mock.toolCall('delegate', { command: 'delegate', tasks: Object.fromEntries(names.map((name) => [name, `do ${name}`])) }),
    mock.finish('all delegated'),
  ]);
  const childIds = names.map((name, index) => subConversationId(parentId, index, name));
  childIds.forEach((id, index) => server.setScript(id, childTurns(names[index]!)));
  return childIds;
}
