import { describe, expect, it } from 'vitest';
import { titleConversationId } from '@troupe/core';
import { mock, type MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { startServer } from '@troupe/server';
import { tempDir, type TestServer, userMessage, useTestServer, wireAgent } from './helpers.js';

let llm: MockServer;
let supervisor: Supervisor;
let server: TestServer;
useTestServer({}, (context) => {
  ({ llm, supervisor, server } = context);
});

describe('Troupe routes for the dashboard', () => {
  it('/api/troupe/conversations: every conversation as a row (status, title, model, steps, tokens, cost), newest activity first', async () => {
    llm.setScript('row-ran', [mock.toolCall('think', { thought: 'x' }), mock.finish('done')]);
    llm.setScript(titleConversationId('row-ran'), [mock.text('A row that ran')]);
    await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'row-idle', title: 'Never run' });
    await server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, conversation_id: 'row-ran', initial_message: userMessage('Go', true) });
    await expect.poll(async () => (await server.api('GET', '/api/conversations/row-ran')).body.execution_status).toBe('finished');
    await expect.poll(async () => (await server.api('GET', '/api/conversations/row-ran')).body.title).toBe('A row that ran');

    const { items } = (await server.api('GET', '/api/troupe/conversations')).body;
    expect(items.map((row: any) => row.id)).toEqual(['row-ran', 'row-idle']);
    const info = (await server.api('GET', '/api/conversations/row-ran')).body;
    const ran = items[0];
    // Two steps and the title: every model call of the conversation.
    expect(ran).toMatchObject({ title: 'A row that ran', execution_status: 'finished', model: 'openai/mock-model', steps: 3, event_count: info.event_count, cost: info.metrics.accumulated_cost });
    expect(ran.tokens).toBe(info.metrics.accumulated_token_usage.prompt_tokens + info.metrics.accumulated_token_usage.completion_tokens);
    expect(ran.tokens).toBeGreaterThan(0);
    expect(items[1]).toMatchObject({ title: 'Never run', execution_status: 'idle', steps: 0, tokens: 0, cost: 0 });

    // The same figures for a conversation read from disk after a restart.
    const restarted = await startServer({ host: '127.0.0.1', port: 0, persistenceDir: server.persistenceDir, supervisor });
    try {
      const stored = (await (await fetch(`${restarted.url}/api/troupe/conversations`)).json()) as { items: any[] };
      expect(stored.items.find((row) => row.id === 'row-ran')).toEqual(ran);
    } finally {
      await restarted.close();
    }
  });

  it('/api/troupe/batch is a 404 on a server that runs no batch, the progress on one that does', async () => {
    const none = await server.api('GET', '/api/troupe/batch');
    expect(none.status).toBe(404);
    expect(none.body.detail).toContain('troupe batch');
    const progress = { source: 'tasks.jsonl', total: 3, running: 1, finished: 1, failed: 0, skipped: 0, cost: 0.5, started_at: new Date().toISOString(), done: false, running_ids: ['t2'] };
    const batch = await startServer({ host: '127.0.0.1', port: 0, persistenceDir: tempDir(), supervisor, batchProgress: () => progress });
    try {
      expect(await (await fetch(`${batch.url}/api/troupe/batch`)).json()).toEqual(progress);
    } finally {
      await batch.close();
    }
  });

  it('the Troupe routes are in the OpenAPI document', async () => {
    const paths = Object.keys((await server.api('GET', '/openapi.json')).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/troupe/conversations', '/api/troupe/batch', '/api/troupe/session']));
  });
});
