import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MockServer } from '@troupe/core/testing';
import { openEventSocket, tempDir, type TestServer, useTestServer, wireAgent } from './helpers.js';

const KEY = 'validation-key';
let llm: MockServer;
let server: TestServer;
useTestServer({ sessionApiKeys: [KEY], apiKey: KEY }, (context) => {
  ({ llm, server } = context);
});

const create = (fields: Record<string, unknown>) => server.api('POST', '/api/conversations', { agent: wireAgent(llm), workspace: { working_dir: tempDir() }, ...fields });
const count = async () => (await server.api('GET', '/api/conversations/count')).body as number;
const locs = (body: { detail: { loc: unknown[] }[] }) => body.detail.map((issue) => issue.loc);
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('the workspace is checked before anything is made', () => {
  it('422 on workspace.working_dir for /proc, /sys, /dev, a file, a NUL byte, a symlink into /proc or too deep a path; the server stays responsive', async () => {
    const base = tempDir();
    writeFileSync(join(base, 'file'), 'x');
    symlinkSync('/proc/self', join(base, 'proc-link'));
    const before = await count();
    const paths = ['/proc/self/xyz', '/proc/self/xyz/deeper', '/sys/troupe', '/dev/troupe', join(base, 'file'), join(base, 'file/below'), join(base, 'a\0b'), join(base, 'proc-link/xyz'), `${base}/${Array(80).fill('d').join('/')}`];
    for (const working_dir of paths) {
      const response = await create({ workspace: { working_dir } });
      expect({ working_dir, status: response.status }).toEqual({ working_dir, status: 422 });
      expect(response.body.detail[0]).toMatchObject({ loc: ['body', 'workspace', 'working_dir'], type: 'workspace_path' });
      expect(response.body.detail[0].msg).toContain('Working directory');
    }
    expect(await count()).toBe(before);
    expect(existsSync(join(base, 'd'))).toBe(false);
    expect((await create({ workspace: { working_dir: join(base, 'new/nested') } })).status).toBe(201);
    expect(existsSync(join(base, 'new/nested'))).toBe(true);
  });
});

describe('bodies are bounded before they are parsed', () => {
  it('a deeply nested body is a 422, never a stack overflow, and later requests are unaffected', async () => {
    const body = JSON.stringify({ agent: wireAgent(llm), workspace: { working_dir: tempDir() }, hook_config: { PreToolUse: '@' } }).replace('"@"', nested(50_000));
    const response = await server.api('POST', '/api/conversations', body);
    expect(response.status).toBe(422);
    expect(response.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_too_complex' });
    expect(response.body.detail[0].msg).toMatch(/deeper than 64/);
    expect((await server.api('GET', '/api/conversations/search')).status).toBe(200);
    const wide = await server.api('POST', '/api/conversations', `{"tags":[${Array(250_000).fill('0').join(',')}]}`);
    expect(wide.body.detail[0]).toMatchObject({ loc: ['body'], type: 'json_too_complex' });
  });

  it('hook_config is read in OpenHands’ shape and shown back in snake_case; an unknown event or a malformed hook is a 422 naming it', async () => {
    const hooks = { pre_tool_use: [{ matcher: 'terminal', hooks: [{ type: 'command', command: 'check.sh', timeout: 10 }] }], stop: [] };
    const accepted = await create({ hook_config: hooks });
    expect(accepted.status).toBe(201);
    expect(accepted.body.hook_config).toEqual({ pre_tool_use: hooks.pre_tool_use, post_tool_use: [], user_prompt_submit: [], session_start: [], session_end: [], stop: [] });
    const unknownEvent = await create({ hook_config: { event0: [] } });
    expect(unknownEvent.status).toBe(422);
    expect(locs(unknownEvent.body)).toContainEqual(['body', 'hook_config']);
    const malformed = await create({ hook_config: { stop: JSON.parse(nested(20)) } });
    expect(malformed.status).toBe(422);
    expect(locs(malformed.body)[0]?.slice(0, 3)).toEqual(['body', 'hook_config', 'stop']);
  });

  it('a deeply nested WebSocket frame is answered with an error event; the socket stays usable', async () => {
    const id = (await create({})).body.id;
    const ws = openEventSocket(server.url, id, '', { 'x-session-api-key': KEY });
    await expect.poll(() => ws.frames.length).toBeGreaterThan(0);
    ws.socket.send(nested(10_000));
    await expect.poll(() => ws.frames.find((frame) => frame.kind === 'ServerErrorEvent')).toMatchObject({ code: 'InvalidJSON', detail: expect.stringMatching(/deeper than 64/) });
    expect(ws.socket.readyState).toBe(ws.socket.OPEN);
    ws.socket.close();
    await ws.closed;
  });
});

describe('tool params are checked with the tool’s own schema at create', () => {
  it('422 naming the param for a bad environment name, an out-of-range or unknown option, params of a tool that takes none', async () => {
    const withTool = (name: string, params: Record<string, unknown>) => create({ agent: wireAgent(llm, [{ name, params } as { name: string }]) });
    const cases: [string, Record<string, unknown>, (string | number)[]][] = [
      ['terminal', { env: { 'A=B': 'x' } }, ['body', 'agent', 'tools', 0, 'params', 'env', 'A=B']],
      ['terminal', { env: { '1X': 'x' } }, ['body', 'agent', 'tools', 0, 'params', 'env', '1X']],
      ['terminal', { noChangeTimeoutSeconds: -1 }, ['body', 'agent', 'tools', 0, 'params', 'noChangeTimeoutSeconds']],
      ['terminal', { noChangeTimeoutSeconds: 1e12 }, ['body', 'agent', 'tools', 0, 'params', 'noChangeTimeoutSeconds']],
      ['terminal', { timeout: 5 }, ['body', 'agent', 'tools', 0, 'params']],
      ['terminal', { shell: 7 }, ['body', 'agent', 'tools', 0, 'params', 'shell']],
      ['bash', { env: { 'A=B': 'x' } }, ['body', 'agent', 'tools', 0, 'params', 'env', 'A=B']],
      ['file_editor', { verbose: true }, ['body', 'agent', 'tools', 0, 'params']],
      ['finish', { now: true }, ['body', 'agent', 'tools', 0, 'params']],
    ];
    const before = await count();
    for (const [name, params, loc] of cases) {
      const response = await withTool(name, params);
      expect({ name, params, status: response.status }).toEqual({ name, params, status: 422 });
      expect(locs(response.body)).toContainEqual(loc);
    }
    expect(await count()).toBe(before);
    expect((await withTool('terminal', { noChangeTimeoutSeconds: 5, env: { FOO_1: 'bar' } })).status).toBe(201);
    expect((await create({ secrets: { 'A=B': 'x' } })).body.detail[0].loc).toEqual(['body', 'secrets', 'A=B']);
  });
});
