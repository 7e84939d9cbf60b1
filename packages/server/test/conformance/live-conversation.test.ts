import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent, defineTool, EventSchema, LLM } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { z } from 'zod';
import { openEventSocket, type TestServer, tempDir, userMessage, useTestServer } from '../helpers.js';
import { detailedKind, openHandsRejection } from './openhands-event-models.js';
import { OhConversationStatsDump } from './openhands-state-models.js';

let llm: MockServer;
let server: TestServer;
let supervisor: Supervisor;
useTestServer({}, (context) => {
  ({ llm, server, supervisor } = context);
});

const BUILTIN_TOOLS = ['terminal', 'file_editor', 'task_tracker', 'glob', 'grep', 'apply_patch', 'planning_file_editor'];

/** One of each: every built-in tool's action and observation, and every event kind a conversation makes. */
const EXPECTED_KINDS = [
  'SystemPromptEvent',
  'MessageEvent',
  'ConversationStateUpdateEvent',
  ...['Terminal', 'FileEditor', 'TaskTracker', 'Glob', 'Grep', 'ApplyPatch', 'PlanningFileEditor', 'Think', 'Finish'].flatMap((stem) => [
    `ActionEvent[${stem}Action]`,
    `ObservationEvent[${stem}Observation]`,
  ]),
  'ActionEvent[null]',
  'AgentErrorEvent',
  'UserRejectObservation',
  'PauseEvent',
  'InterruptEvent',
  'ConversationErrorEvent',
];

function script(workspace: string) {
  return [
    mock.toolCall('terminal', { command: 'echo conformance', security_risk: 'LOW' }, { text: 'Let me look around.', reasoning: 'Start with the shell.' }),
    mock.toolCall('file_editor', { command: 'create', path: join(workspace, 'notes.txt'), file_text: 'hello\n', security_risk: 'LOW' }),
    mock.toolCall('file_editor', { command: 'view', path: join(workspace, 'notes.txt') }),
    mock.toolCall('task_tracker', { command: 'plan', task_list: [{ title: 'Write notes', notes: '', status: 'in_progress' }] }),
    mock.toolCall('glob', { pattern: '**/*.txt' }),
    mock.toolCall('grep', { pattern: 'hello', include: '*.txt' }),
    mock.toolCall('apply_patch', { patch: ['*** Begin Patch', '*** Update File: notes.txt', '@@', '-hello', '+hello world', '*** End Patch'].join('\n') }),
    mock.toolCall('planning_file_editor', { command: 'str_replace', path: join(workspace, '.agents_tmp', 'PLAN.md'), old_str: '# 1. OBJECTIVE', new_str: '# 1. OBJECTIVE\nShip the notes.' }),
    // One response: a thought, an unknown tool, invalid arguments and a failing edit (an error observation).
    mock.toolCalls([
      { name: 'think', arguments: { thought: 'Every tool was used.' } },
      { name: 'nonexistent', arguments: {} },
      { name: 'file_editor', arguments: { command: 42 } },
      { name: 'file_editor', arguments: { command: 'view', path: join(workspace, 'missing.txt') } },
    ]),
    mock.finish('Done with the tools.'),
    // Under AlwaysConfirm: rejected.
    mock.toolCall('terminal', { command: 'rm notes.txt', security_risk: 'HIGH' }),
    // Paused while this reply is on its way.
    mock.toolCall('think', { thought: 'Slowly.' }, { latencyMs: 1_500 }),
    // Interrupted while the model hangs; the next attempt answers.
    mock.finish('Resumed and done.', { faults: [{ type: 'hang' }] }),
    // A failure that is not retried: the run ends in error.
    mock.text('unreachable', { faults: [{ type: 'http_error', status: 400, message: 'bad request' }] }),
  ];
}

describe('OpenHands conformance of a real conversation', () => {
  it('every event validates against OpenHands’ models as persisted, over REST and over the WebSocket, and re-serialises to the same bytes', async () => {
    const id = 'conformance-live';
    const workspace = tempDir();
    llm.setScript(id, script(workspace));
    const api = (method: string, path: string, body?: unknown) => server.api(method, `/api/conversations/${id}${path}`, body);
    const status = async () => (await api('GET', '')).body.execution_status;
    const created = await server.api('POST', '/api/conversations', {
      agent: { kind: 'Agent', llm: { model: 'openai/mock-model', base_url: llm.url, api_key: 'test-key', stream: true }, tools: BUILTIN_TOOLS.map((name) => ({ name })) },
      workspace: { working_dir: workspace },
      conversation_id: id,
    });
    expect(created.status).toBe(201);
    const ws = openEventSocket(server.url, id, 'resend_mode=all');
    await new Promise((resolve) => ws.socket.once('open', resolve));

    await api('POST', '/events', userMessage('Use every tool.', true));
    await expect.poll(status).toBe('finished');

    await api('POST', '/confirmation_policy', { policy: { kind: 'AlwaysConfirm' } });
    await api('POST', '/events', userMessage('Now remove the notes.', true));
    await expect.poll(status).toBe('waiting_for_confirmation');
    expect((await api('POST', '/events/respond_to_confirmation', { accept: false, reason: 'Keep the notes.' })).status).toBe(200);
    await api('POST', '/confirmation_policy', { policy: { kind: 'NeverConfirm' } });

    await api('POST', '/events', userMessage('Think slowly.', true));
    await llm.waitForRequests(12, { conversationId: id });
    expect((await api('POST', '/pause')).status).toBe(200);
    await expect.poll(status).toBe('paused');
    expect((await api('POST', '/run')).status).toBe(200);
    await llm.waitForRequests(13, { conversationId: id });
    expect((await api('POST', '/interrupt')).status).toBe(200);
    await expect.poll(status).toBe('paused');
    expect((await api('POST', '/run')).status).toBe(200);
    await expect.poll(status).toBe('finished');

    await api('POST', '/events', userMessage('Fail now.', true));
    await expect.poll(status).toBe('error');

    // As persisted: every line is an OpenHands event and reads back to the same bytes.
    const lines = readFileSync(join(server.persistenceDir, id, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { event: unknown });
    const persisted = lines.map((line) => line.event as { id: string; kind: string });
    expect(persisted.map(openHandsRejection).filter(Boolean)).toEqual([]);
    expect(persisted.map((event) => JSON.stringify(EventSchema.parse(event)))).toEqual(persisted.map((event) => JSON.stringify(event)));
    expect([...new Set(persisted.map(detailedKind))].sort()).toEqual([...EXPECTED_KINDS].sort());

    // Over REST: the same events, state updates only when asked for.
    const listed: any[] = [];
    let pageId: string | null = null;
    do {
      const page: any = (await api('GET', `/events/search?include_state=true&limit=100${pageId ? `&page_id=${pageId}` : ''}`)).body;
      listed.push(...page.items);
      pageId = page.next_page_id;
    } while (pageId);
    expect(listed).toEqual(persisted);
    expect(listed.map(openHandsRejection).filter(Boolean)).toEqual([]);
    const byDefault = (await api('GET', '/events/search?limit=100')).body.items as { kind: string }[];
    expect(byDefault.some((event) => event.kind === 'ConversationStateUpdateEvent')).toBe(false);

    // Over the WebSocket: every frame, the live-only streamed pieces and snapshots included.
    await expect.poll(() => ws.frames.filter((frame) => frame.kind !== 'StreamingDeltaEvent' && frame.key !== 'full_state').length).toBe(persisted.length);
    expect(ws.frames.map(openHandsRejection).filter(Boolean)).toEqual([]);
    const deltas = ws.frames.filter((frame) => frame.kind === 'StreamingDeltaEvent');
    expect(deltas.map((delta) => delta.content ?? '').join('')).toContain('Let me look around.');
    expect(deltas.map((delta) => delta.reasoning_content ?? '').join('')).toContain('Start with the shell.');
    const snapshots = ws.frames.filter((frame) => frame.kind === 'ConversationStateUpdateEvent' && frame.key === 'full_state');
    expect(snapshots.length).toBeGreaterThan(1);
    for (const snapshot of snapshots) expect(OhConversationStatsDump.safeParse(snapshot.value.stats).error).toBeUndefined();
    ws.socket.close();

    // The stats as ConversationInfo carries them: OpenHands' Metrics (cost times as epoch seconds).
    const info = (await api('GET', '')).body;
    expect(OhConversationStatsDump.safeParse(info.stats).error).toBeUndefined();
    const metrics = Object.values(info.stats.usage_to_metrics as Record<string, any>)[0];
    expect(metrics.token_usages.length).toBeGreaterThan(0);
    expect(metrics.token_usages[0]).toMatchObject({ model: 'openai/mock-model', per_turn_token: expect.any(Number), context_window: 0 });
  });

  it('a custom tool (here a client tool) appears as an MCP tool, which the client can parse, in memory and as persisted', async () => {
    const lookup = defineTool({
      name: 'lookup_user',
      description: 'Looks a user up.',
      parameters: z.object({ name: z.string() }),
      execute: ({ name }) => `${name} is an admin`,
    });
    const persistenceDir = tempDir();
    const conversation = supervisor.conversation({
      agent: new Agent({ llm: new LLM({ model: 'openai/mock-model', baseUrl: llm.url, apiKey: 'test-key' }), tools: [] }),
      workspace: tempDir(),
      persistenceDir,
      clientTools: [lookup],
    });
    llm.setScript(conversation.id, [mock.toolCall('lookup_user', { name: 'ada', security_risk: 'LOW' }), mock.finish('ada is an admin')]);
    await conversation.sendMessage('Who is ada?');
    expect(await conversation.run()).toBe('finished');
    const events = await conversation.getEvents();
    await conversation.close();
    const persisted = readFileSync(join(persistenceDir, conversation.id, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { event: unknown }).event);
    expect(persisted).toEqual(events);
    expect(events.map(openHandsRejection).filter(Boolean)).toEqual([]);
    expect(events.map(detailedKind)).toEqual(expect.arrayContaining(['ActionEvent[MCPToolAction]', 'ObservationEvent[MCPToolObservation]']));
    const prompt = events.find((event) => event.kind === 'SystemPromptEvent');
    expect(prompt?.kind === 'SystemPromptEvent' && prompt.tools.map((tool) => tool.kind)).toEqual(['MCPToolDefinition', 'FinishTool', 'ThinkTool']);
  });
});
