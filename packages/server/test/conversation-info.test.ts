import { describe, expect, it } from 'vitest';
import { Agent, agentToRecord, emptyStats, fromStateFile, LLM, SCHEMA_VERSION, type StateFile } from '@troupe/core';
import { agentFromWire, agentToWire } from '../src/agent-wire.js';
import { ConversationMetadataSchema } from '../src/conversation-metadata.js';
import { fromWireInfo, storedStatus, toWireInfo } from '../src/wire-info.js';
import { ConversationInfoSchema, StartConversationRequestSchema } from '../src/wire-schemas.js';

const agent = new Agent({ llm: new LLM({ model: 'openai/gpt-test', apiKey: 'sk-secret', baseUrl: 'http://127.0.0.1:1/v1' }), tools: [{ name: 'terminal' }] });

const stored: StateFile = {
  schema_version: SCHEMA_VERSION,
  id: 'c1',
  agent: agentToRecord(agent.config),
  workspace: '/tmp/ws',
  execution_status: 'running',
  confirmation_policy: { kind: 'AlwaysConfirm' },
  max_iterations: 7,
  stuck_detection: false,
  stats: emptyStats(),
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:01.000Z',
  secret_names: ['TOKEN'],
  queued_messages: [],
  event_count: 3,
};

describe('wire mapping', () => {
  it('maps a snake_case agent (OpenHands tool names included) to a core agent and back', () => {
    const request = StartConversationRequestSchema.parse({
      agent: { llm: { model: 'openai/gpt-test', api_key: 'sk-secret', base_url: 'http://127.0.0.1:1/v1', usage_id: 'main' }, tools: [{ name: 'TerminalTool' }, { name: 'str_replace_editor' }] },
      workspace: { working_dir: '/tmp/ws' },
    });
    const config = agentFromWire(request.agent).agent.config;
    expect(config.llm).toMatchObject({ model: 'openai/gpt-test', apiKey: 'sk-secret', baseUrl: 'http://127.0.0.1:1/v1', usageId: 'main' });
    expect(config.tools.map((tool) => tool.name)).toEqual(['terminal', 'file_editor']);
    expect(agentFromWire(StartConversationRequestSchema.parse({ agent: agentToWire(config, {}, { withApiKey: true }), workspace: { working_dir: '/w' } }).agent).agent.config).toEqual(config);
  });

  it('reports a stored conversation that was running as paused, without the API key', () => {
    const snapshot = fromStateFile(stored);
    const info = toWireInfo({ ...snapshot, status: storedStatus(snapshot.status) }, { conversationDir: '/data/c1', metadata: ConversationMetadataSchema.parse({ tags: { a: 'b' } }) });
    expect(ConversationInfoSchema.parse(info)).toEqual(info);
    expect(info).toMatchObject({
      id: 'c1',
      execution_status: 'paused',
      workspace: { kind: 'LocalWorkspace', working_dir: '/tmp/ws' },
      persistence_dir: '/data/c1',
      confirmation_policy: { kind: 'AlwaysConfirm' },
      max_iterations: 7,
      stuck_detection: false,
      secret_names: ['TOKEN'],
      tags: { a: 'b' },
      event_count: 3,
    });
    expect(JSON.stringify(info)).not.toContain('sk-secret');
    expect(info.agent.kind).toBe('Agent');
  });

  it('shows a sub-conversation its parent and a parent its sub-conversations (stored, on the wire and back)', () => {
    const child = fromStateFile({ ...stored, parent_conversation_id: 'p1' });
    const parent = fromStateFile({ ...stored, id: 'p1', sub_conversation_ids: ['c1', 'c2'] });
    expect([child.parentConversationId, child.subConversationIds, parent.subConversationIds]).toEqual(['p1', [], ['c1', 'c2']]);
    const metadata = { conversationDir: '/data/c1', metadata: ConversationMetadataSchema.parse({}) };
    const childInfo = toWireInfo(child, metadata);
    const parentInfo = toWireInfo(parent, metadata);
    expect([childInfo.parent_conversation_id, childInfo.sub_conversation_ids]).toEqual(['p1', []]);
    expect([parentInfo.parent_conversation_id, parentInfo.sub_conversation_ids]).toEqual([null, ['c1', 'c2']]);
    expect(fromWireInfo(ConversationInfoSchema.parse(childInfo), false).parentConversationId).toBe('p1');
    expect(fromWireInfo(ConversationInfoSchema.parse(parentInfo), false).subConversationIds).toEqual(['c1', 'c2']);
  });
});
