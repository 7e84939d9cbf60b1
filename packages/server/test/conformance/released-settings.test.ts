import { describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import { nextRelease as nextServerRelease, type TestServer, tempDir, useTestServer } from '../helpers.js';
import { llmAnalyzerBody, startWithEverything } from './openhands-requests.js';

let llm: MockServer;
let server: TestServer;
useTestServer({ idleReleaseMs: 150 }, (context) => {
  ({ llm, server } = context);
});

const nextRelease = (id: string) => nextServerRelease(server, id);

describe('what a request stored survives an idle release', () => {
  it('reopened from disk, the conversation reports the same stored fields, analyzer, tags, autotitle and not_applied', async () => {
    const id = 'released-settings-1';
    const created = await server.api('POST', '/api/conversations', { ...startWithEverything(llm.url, tempDir(), id), autotitle: false });
    let released = nextRelease(id);
    await server.api('POST', `/api/conversations/${id}/security_analyzer`, llmAnalyzerBody);
    await server.api('PATCH', `/api/conversations/${id}`, { tags: { after: 'patch' } });
    const before = (await server.api('GET', `/api/conversations/${id}`)).body;
    await released;
    released = nextRelease(id);
    // A message reopens it; autotitle=false still holds after the reopen.
    await server.api('POST', `/api/conversations/${id}/events`, { role: 'user', content: [{ type: 'text', text: 'no title from me' }], run: false });
    const after = (await server.api('GET', `/api/conversations/${id}`)).body;
    for (const key of ['agent', 'client_tools', 'hook_config', 'not_applied', 'max_iterations'] as const) expect(after[key], key).toEqual(created.body[key]);
    expect(after).toMatchObject({ security_analyzer: { kind: 'LLMSecurityAnalyzer' }, tags: { after: 'patch' } });
    expect(after).not.toHaveProperty('title');
    expect(before.security_analyzer).toEqual(after.security_analyzer);
    await released;
  });
});
