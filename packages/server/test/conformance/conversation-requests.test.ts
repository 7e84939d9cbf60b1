import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import { openEventSocket, snapshots, type TestServer, tempDir, useTestServer } from '../helpers.js';
import { alwaysConfirmBody, confirmRiskyBody, llmAnalyzerBody, noAnalyzerBody, rejectBody, sendMessageBody, startWithClientDefaults } from './openhands-requests.js';

let llm: MockServer;
let server: TestServer;
useTestServer({ apiKey: 'session-key' }, (context) => {
  ({ llm, server } = context);
});

const create = async () => (await server.api('POST', '/api/conversations', startWithClientDefaults(llm.url, tempDir()))).body.id as string;
const info = async (id: string) => (await server.api('GET', `/api/conversations/${id}`)).body;
const kinds = async (id: string) => ((await server.api('GET', `/api/conversations/${id}/events/search`)).body.items as { kind: string }[]).map((event) => event.kind);

describe("the client's conversation requests", () => {
  it('send_message, run, confirmation_policy (AlwaysConfirm, ConfirmRisky), reject, approve by run', async () => {
    const id = await create();
    llm.setScript(id, [mock.toolCall('terminal', { command: 'echo one', security_risk: 'LOW' }), mock.toolCall('terminal', { command: 'echo two', security_risk: 'LOW' }), mock.finish('done')]);
    expect((await server.api('POST', `/api/conversations/${id}/confirmation_policy`, alwaysConfirmBody)).status).toBe(200);
    expect((await info(id)).confirmation_policy).toEqual({ kind: 'AlwaysConfirm' });
    expect((await server.api('POST', `/api/conversations/${id}/events`, sendMessageBody('run two commands'))).body.success).toBe(true);
    expect((await server.api('POST', `/api/conversations/${id}/run`)).status).toBe(200);
    await expect.poll(async () => (await info(id)).execution_status).toBe('waiting_for_confirmation');
    expect((await server.api('POST', `/api/conversations/${id}/events/respond_to_confirmation`, rejectBody)).status).toBe(200);
    expect(await kinds(id)).toContain('UserRejectObservation');
    expect((await server.api('POST', `/api/conversations/${id}/confirmation_policy`, confirmRiskyBody)).status).toBe(200);
    expect((await info(id)).confirmation_policy).toEqual({ kind: 'ConfirmRisky', threshold: 'HIGH', confirm_unknown: true });
    await server.api('POST', `/api/conversations/${id}/run`);
    await expect.poll(async () => (await info(id)).execution_status).toBe('finished');
  });

  it('security_analyzer: stored, read back, and said when Troupe rates risk otherwise than OpenHands would', async () => {
    const id = await create();
    await server.api('POST', `/api/conversations/${id}/confirmation_policy`, confirmRiskyBody);
    const withoutAnalyzer = await info(id);
    expect(withoutAnalyzer.security_analyzer).toBeNull();
    expect(withoutAnalyzer.not_applied.map((entry: { field: string }) => entry.field)).toContain('security_analyzer');
    expect((await server.api('POST', `/api/conversations/${id}/security_analyzer`, llmAnalyzerBody)).status).toBe(200);
    const withAnalyzer = await info(id);
    expect(withAnalyzer.security_analyzer).toEqual({ kind: 'LLMSecurityAnalyzer' });
    expect(withAnalyzer.not_applied.map((entry: { field: string }) => entry.field)).not.toContain('security_analyzer');
    expect((await server.api('POST', `/api/conversations/${id}/security_analyzer`, noAnalyzerBody)).status).toBe(200);
    expect((await info(id)).security_analyzer).toBeNull();
    const missingKind = await server.api('POST', `/api/conversations/${id}/security_analyzer`, { security_analyzer: { threshold: 'x' } });
    expect(missingKind.status).toBe(422);
    expect(missingKind.body.detail[0].loc).toEqual(['body', 'security_analyzer', 'kind']);
  });

  it('PATCH with tags alone, with a title alone, or both; tags replace the old ones', async () => {
    const id = await create();
    expect((await server.api('PATCH', `/api/conversations/${id}`, { tags: { team: 'core', env: 'dev' } })).status).toBe(200);
    expect((await info(id)).tags).toEqual({ team: 'core', env: 'dev' });
    expect((await server.api('PATCH', `/api/conversations/${id}`, { title: 'Named', tags: { only: 'one' } })).status).toBe(200);
    expect(await info(id)).toMatchObject({ title: 'Named', tags: { only: 'one' } });
    expect((await server.api('PATCH', `/api/conversations/${id}`, { title: null, tags: null })).status).toBe(200);
    expect((await server.api('PATCH', `/api/conversations/${id}`, { tags: { Bad: 'x' } })).body.detail[0].loc).toEqual(['body', 'tags', 'Bad']);
  });

  it('batch get: infos in the order asked, null for an unknown id', async () => {
    const [a, b] = [await create(), await create()];
    const batch = await server.api('GET', `/api/conversations?ids=${b}&ids=missing-id&ids=${a}`);
    expect(batch.status).toBe(200);
    expect(batch.body.map((item: { id: string } | null) => item?.id ?? null)).toEqual([b, null, a]);
    const one = await server.api('GET', `/api/conversations?ids=${a}`);
    expect(one.body.map((item: { id: string }) => item.id)).toEqual([a]);
  });

  it('the full_state snapshot on the socket carries what the client caches (analyzer, client tools, skills)', async () => {
    const id = await create();
    const socket = openEventSocket(server.url, id, '', { 'x-session-api-key': 'session-key' });
    await expect.poll(() => snapshots(socket.frames).length).toBe(1);
    expect(snapshots(socket.frames)[0].value).toMatchObject({ security_analyzer: null, client_tools: [], activated_knowledge_skills: [], invoked_skills: [], persistence_dir: expect.any(String) });
    socket.socket.close();
    await socket.closed;
  });

  it('close with delete_on_close: DELETE, then 404', async () => {
    const id = await create();
    expect((await server.api('DELETE', `/api/conversations/${id}`)).status).toBe(200);
    expect((await server.api('GET', `/api/conversations/${id}`)).status).toBe(404);
  });
});
