import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
useTestServer({  }, (context) => {
  ({ llm, server } = context);
});

async function finishedConversation(id: string): Promise<void> {
  llm.setScript(id, [mock.toolCall('think', { thought: 'hmm' }), mock.finish('all done')]);
  await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: id, initial_message: userMessage('Do the thing', true) });
  await expect.poll(async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status).toBe('finished');
}

describe('event search, count and get', () => {
  it('filters by short kind and source, pages by sequence number, counts, and gets one event by id', async () => {
    const id = 'events-1';
    await finishedConversation(id);
    const all = (await server.api('GET', `/api/conversations/${id}/events/search`)).body;
    expect(all.next_page_id).toBeNull();
    expect(all.items[0].kind).toBe('SystemPromptEvent');
    const total = (await server.api('GET', `/api/conversations/${id}/events/count`)).body;
    expect(total).toBe(all.items.length);

    const actions = await server.api('GET', `/api/conversations/${id}/events/search?kind=ActionEvent`);
    expect(actions.body.items.map((event: any) => event.tool_name)).toEqual(['think', 'finish']);
    expect((await server.api('GET', `/api/conversations/${id}/events/count?kind=ActionEvent&source=agent`)).body).toBe(2);
    expect((await server.api('GET', `/api/conversations/${id}/events/search?body=the%20THING`)).body.items).toHaveLength(1);

    const pages: string[] = [];
    let page: string | null = null;
    do {
      const response: any = await server.api('GET', `/api/conversations/${id}/events/search?limit=3${page ? `&page_id=${page}` : ''}`);
      pages.push(...response.body.items.map((event: any) => event.id));
      page = response.body.next_page_id;
    } while (page);
    expect(pages).toEqual(all.items.map((event: any) => event.id));
    const descending = await server.api('GET', `/api/conversations/${id}/events/search?sort_order=TIMESTAMP_DESC`);
    expect(descending.body.items.map((event: any) => event.id)).toEqual([...pages].reverse());

    const one = await server.api('GET', `/api/conversations/${id}/events/${all.items[2].id}`);
    expect(one.body).toEqual(all.items[2]);
    const since = await server.api('GET', `/api/conversations/${id}/events/search?timestamp__gte=${encodeURIComponent(all.items[2].timestamp)}`);
    expect(since.body.items[0].timestamp >= all.items[2].timestamp).toBe(true);
  });

  it('leaves state updates out of search and count unless asked for, as OpenHands only broadcasts them', async () => {
    const id = 'events-state';
    await finishedConversation(id);
    const search = async (query: string) => (await server.api('GET', `/api/conversations/${id}/events/search?${query}`)).body.items as any[];
    const listed = await search('');
    expect(listed.some((event) => event.kind === 'ConversationStateUpdateEvent')).toBe(false);
    const all = await search('include_state=true');
    const states = all.filter((event) => event.kind === 'ConversationStateUpdateEvent');
    expect(states.length).toBeGreaterThan(0);
    expect(all.map((event) => event.id).filter((eventId) => !states.some((state) => state.id === eventId))).toEqual(listed.map((event) => event.id));
    expect((await search('kind=ConversationStateUpdateEvent')).map((event) => event.id)).toEqual(states.map((event) => event.id));
    expect((await server.api('GET', `/api/conversations/${id}/events/count`)).body).toBe(listed.length);
    expect((await server.api('GET', `/api/conversations/${id}/events/count?include_state=true`)).body).toBe(all.length);
  });

  it('sends a message with run=true and answers confirmations', async () => {
    const id = 'events-confirm';
    llm.setScript(id, [mock.toolCall('terminal', { command: 'echo hi', security_risk: 'LOW' }), mock.finish('ran it'), mock.toolCall('terminal', { command: 'echo again', security_risk: 'LOW' }), mock.finish('rejected')]);
    await server.api('POST', '/api/conversations', { agent: wireAgent(llm, [{ name: 'terminal' }]), workspace: { working_dir: tempDir() }, conversation_id: id, confirmation_policy: { kind: 'AlwaysConfirm' } });
    const sent = await server.api('POST', `/api/conversations/${id}/events`, userMessage('echo', true));
    expect(sent.body).toMatchObject({ success: true, queued: false });
    const status = async () => (await server.api('GET', `/api/conversations/${id}`)).body.execution_status;
    await expect.poll(status).toBe('waiting_for_confirmation');
    const accepted = await server.api('POST', `/api/conversations/${id}/events/respond_to_confirmation`, { accept: true });
    expect(accepted.body).toEqual({ success: true, rejected_count: 0 });
    await expect.poll(status).toBe('finished');
    expect((await server.api('GET', `/api/conversations/${id}/events/count?kind=ObservationEvent`)).body).toBe(2);

    await server.api('POST', `/api/conversations/${id}/events`, userMessage('again', true));
    await expect.poll(status).toBe('waiting_for_confirmation');
    const rejected = await server.api('POST', `/api/conversations/${id}/events/respond_to_confirmation`, { accept: false, reason: 'not now' });
    expect(rejected.body).toEqual({ success: true, rejected_count: 1 });
    const rejection = await server.api('GET', `/api/conversations/${id}/events/search?kind=UserRejectObservation`);
    expect(rejection.body.items[0].rejection_reason).toBe('not now');

    await server.api('POST', `/api/conversations/${id}/confirmation_policy`, { policy: { kind: 'NeverConfirm' } });
    await server.api('POST', `/api/conversations/${id}/secrets`, { secrets: { API_TOKEN: 'abc', OTHER: { kind: 'StaticSecret', value: 'other-secret-value' } } });
    const info = (await server.api('GET', `/api/conversations/${id}`)).body;
    expect(info.confirmation_policy).toEqual({ kind: 'NeverConfirm' });
    expect(info.secret_names).toEqual(['API_TOKEN', 'OTHER']);
    expect(JSON.stringify(info)).not.toContain('other-secret-value');
  });
});
