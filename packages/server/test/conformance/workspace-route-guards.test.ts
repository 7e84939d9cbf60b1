import { describe, expect, it } from 'vitest';
import { type TestServer, tempDir, useTestServer } from '../helpers.js';

let server: TestServer;
useTestServer({ sessionApiKeys: ['session-key'], workspaceRoots: [tempDir()] }, (context) => {
  ({ server } = context);
});

/** Every route this work added, as the client calls it. */
const ROUTES: [method: string, path: string, openApiPath: string][] = [
  ['POST', '/api/bash/start_bash_command', '/api/bash/start_bash_command'],
  ['POST', '/api/bash/execute_bash_command', '/api/bash/execute_bash_command'],
  ['GET', '/api/bash/bash_events/search', '/api/bash/bash_events/search'],
  ['GET', '/api/bash/bash_events/abc', '/api/bash/bash_events/{event_id}'],
  ['DELETE', '/api/bash/bash_events', '/api/bash/bash_events'],
  ['POST', '/api/file/upload?path=/tmp/x', '/api/file/upload'],
  ['GET', '/api/file/download?path=/tmp/x', '/api/file/download'],
  ['GET', '/api/git/changes?path=/tmp', '/api/git/changes'],
  ['GET', '/api/git/diff?path=/tmp/x', '/api/git/diff'],
  ['GET', '/api/conversations?ids=a', '/api/conversations'],
  ['POST', '/api/conversations/a/security_analyzer', '/api/conversations/{conversation_id}/security_analyzer'],
];

describe('the workspace and new conversation routes', () => {
  it('need the session key (401 without it, before any effect)', async () => {
    for (const [method, path] of ROUTES) {
      const response = await fetch(`${server.url}${path}`, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{"command":"touch /tmp/troupe-must-not-exist"}' } : {}) });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
    }
  });

  it('are in the OpenAPI document', async () => {
    const document = (await server.api('GET', '/openapi.json')).body;
    for (const [method, , openApiPath] of ROUTES) expect(document.paths[openApiPath]?.[method.toLowerCase()], `${method} ${openApiPath}`).toBeDefined();
  });
});
