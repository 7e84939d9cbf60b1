import { describe, expect, it } from 'vitest';
import { mock, type MockServer } from '@troupe/core/testing';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let server: TestServer;
useTestServer({ mock: { latencyMs: 5 } }, (context) => {
  ({ llm, server } = context);
});

describe('many conversations through the API', () => {
  it('100 conversations created and run concurrently all finish with their own answers', async () => {
    const ids = Array.from({ length: 100 }, (_, index) => `many-${index}`);
    for (const id of ids) llm.setScript(id, [mock.toolCall('think', { thought: id }), mock.finish(`answer ${id}`)]);
    const workspace = tempDir();
    const created = await Promise.all(
      ids.map((id) => server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: workspace }, conversation_id: id, initial_message: userMessage(`task ${id}`, true) })),
    );
    expect(created.every((response) => response.status === 201)).toBe(true);
    await expect.poll(async () => (await server.api('GET', '/api/conversations/count?status=finished')).body, { timeout: 30_000 }).toBe(100);
    const answers = await Promise.all(ids.map(async (id) => (await server.api('GET', `/api/conversations/${id}/agent_final_response`)).body.response));
    expect(answers).toEqual(ids.map((id) => `answer ${id}`));
    for (const id of ids) expect(llm.requestsFor(id)).toHaveLength(2);
  });
});
