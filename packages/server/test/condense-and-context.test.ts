import { Agent, LLM } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import { RemoteConversation } from '@troupe/server';
import { describe, expect, it } from 'vitest';
import { tempDir, type TestServer, useTestServer, userMessage, wireAgent } from './helpers.js';

/** The agent's condenser and agent_context in OpenHands' wire shapes, and `POST /condense`. */

let llm: MockServer;
let server: TestServer;
useTestServer({}, (context) => {
  ({ llm, server } = context);
});

/** The condenser exactly as OpenHands' client dumps an `LLMSummarizingCondenser`. */
const openHandsCondenser = (mockUrl: string) => ({
  kind: 'LLMSummarizingCondenser',
  llm: { model: 'openai/mock-model', base_url: mockUrl, api_key: 'condenser-key', usage_id: 'condenser' },
  max_size: 80,
  max_tokens: null,
  keep_first: 4,
  minimum_progress: 0.1,
  hard_context_reset_max_retries: 5,
  hard_context_reset_context_scaling: 0.8,
});

const openHandsSkill = {
  name: 'deploy',
  content: 'Deploy with make release.',
  trigger: { type: 'keyword', keywords: ['deploy'] },
  source: null,
  mcp_tools: null,
  inputs: [],
  is_agentskills_format: false,
  version: '1.0.0',
  description: null,
  license: null,
  compatibility: null,
  metadata: null,
  allowed_tools: null,
  disable_model_invocation: false,
  resources: null,
};

async function create(agent: object, id: string) {
  return server.api('POST', '/api/conversations', { agent, workspace: { working_dir: tempDir() }, conversation_id: id });
}

describe('condenser and agent_context on the wire', () => {
  it("takes OpenHands' condenser and agent_context, shows them back in its shapes (no keys), and activates the skill", async () => {
    const created = await create({ ...wireAgent(llm), condenser: openHandsCondenser(llm.url), agent_context: { skills: [openHandsSkill], system_message_suffix: 'Be careful.', load_user_skills: false, current_datetime: '2026-12-01T10:00' } }, 'wire-condenser');
    expect(created.status).toBe(201);
    const agent = created.body.agent;
    expect(agent.condenser).toMatchObject({ kind: 'LLMSummarizingCondenser', max_size: 80, keep_first: 4, llm: { usage_id: 'condenser' } });
    expect(agent.agent_context.skills[0]).toMatchObject({ name: 'deploy', trigger: { type: 'keyword', keywords: ['deploy'] } });
    expect(JSON.stringify(created.body)).not.toContain('condenser-key');

    llm.setScript('wire-condenser', [mock.text('ok')]);
    await server.api('POST', '/api/conversations/wire-condenser/events', userMessage('Please deploy it', true));
    await llm.waitForRequests(1, { conversationId: 'wire-condenser' });
    const system = JSON.stringify(llm.requestsFor('wire-condenser')[0]!.body.messages[0]);
    expect(system).toContain('Be careful.');
    expect(system).toContain('2026-12-01T10:00');
    await expect.poll(async () => (await server.api('GET', '/api/conversations/wire-condenser')).body.activated_knowledge_skills).toEqual(['deploy']);
  });

  it.each([
    [{ max_tokens: 1000 }, 'max_tokens'],
    [{ keep_first: 60 }, 'keep_first'],
    [{ kind: 'NoOpCondenser' }, 'kind'],
  ])('refuses a condenser with %j (422 naming the field)', async (change, field) => {
    const response = await create({ ...wireAgent(llm), condenser: { ...openHandsCondenser(llm.url), ...change } }, `bad-condenser-${field}`);
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.detail)).toContain(field);
  });

  it('refuses agent_context features Troupe does not have, naming them', async () => {
    const response = await create({ ...wireAgent(llm), agent_context: { load_public_skills: true } }, 'bad-context');
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.detail)).toContain('load_public_skills');
  });
});

describe('POST /api/conversations/{id}/condense', () => {
  it('condenses after a run; answers 409 when there is nothing to condense yet', async () => {
    expect((await create(wireAgent(llm), 'condense-me')).status).toBe(201);
    expect((await server.api('POST', '/api/conversations/condense-me/condense')).status).toBe(409);
    llm.setScript('condense-me', [mock.toolCall('think', { thought: 'a' }), mock.toolCall('think', { thought: 'b' }), mock.finish('done')]);
    llm.setScript('condense-me/condenser', [mock.text('What happened so far.')]);
    await server.api('POST', '/api/conversations/condense-me/events', userMessage('Think twice.', true));
    await expect.poll(async () => (await server.api('GET', '/api/conversations/condense-me')).body.execution_status).toBe('finished');
    const condensed = await server.api('POST', '/api/conversations/condense-me/condense');
    expect(condensed).toEqual({ status: 200, body: { success: true } });
    const page = (await server.api('GET', '/api/conversations/condense-me/events/search?kind=Condensation')).body;
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ kind: 'Condensation', source: 'environment', summary: 'What happened so far.', summary_offset: 4 });
  });

  it('answers 409 (OpenHands: 500) when the agent has no condenser, saying so', async () => {
    expect((await create({ ...wireAgent(llm), condenser: null }, 'no-condenser')).status).toBe(201);
    const response = await server.api('POST', '/api/conversations/no-condenser/condense');
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('no condenser');
  });

  it('RemoteConversation.condense() and its agent round-trip the condenser', async () => {
    const agent = new Agent({ llm: new LLM({ model: 'openai/mock-model', baseUrl: llm.url, apiKey: 'test-key' }), condenser: { maxSize: 40, keepFirst: 3 } });
    const conversation = new RemoteConversation({ serverUrl: server.url, agent, workspace: tempDir(), conversationId: 'remote-condense' });
    await conversation.ready();
    expect(conversation.state.agent?.condenser).toMatchObject({ maxSize: 40, keepFirst: 3 });
    await expect(conversation.condense()).rejects.toThrow(/Nothing to condense/);
    await conversation.close();
  });
});
