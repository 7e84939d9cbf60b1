import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNameStatus } from '../../src/git-changes.js';
import { type TestServer, tempDir, useTestServer } from '../helpers.js';

const root = tempDir('troupe-files-root-');
const outside = tempDir('troupe-files-outside-');
let server: TestServer;
useTestServer({ apiKey: 'session-key', workspaceRoots: [root] }, (context) => {
  ({ server } = context);
});

const headers = { 'x-session-api-key': 'session-key' };

/** `workspace.file_upload(src, dst)`: multipart, field `file`, the target in `?path=`. */
async function upload(path: string, bytes: Uint8Array): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'upload-src.bin');
  const response = await fetch(`${server.url}/api/file/upload?path=${encodeURIComponent(path)}`, { method: 'POST', body: form, headers });
  return { status: response.status, body: await response.json() };
}

async function download(path: string): Promise<{ status: number; bytes: Uint8Array; body?: any }> {
  const response = await fetch(`${server.url}/api/file/download?path=${encodeURIComponent(path)}`, { headers });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { status: response.status, bytes, ...(response.ok ? {} : { body: JSON.parse(new TextDecoder().decode(bytes)) }) };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=t@x', '-c', 'user.name=t', ...args], { cwd, stdio: 'pipe' });

describe('file upload / download (workspace paths only)', () => {
  it('round-trips bytes to a new directory inside a workspace root', async () => {
    const payload = new Uint8Array([...Array.from({ length: 256 }, (_, index) => index), ...new TextEncoder().encode('ünïcode\n')]);
    const target = join(root, 'nested', 'dir', 'uploaded.bin');
    const uploaded = await upload(target, payload);
    expect(uploaded).toEqual({ status: 200, body: { success: true, file_size: payload.length } });
    expect(new Uint8Array(readFileSync(target))).toEqual(payload);
    const downloaded = await download(target);
    expect(downloaded.status).toBe(200);
    expect(downloaded.bytes).toEqual(payload);
  });

  it('reaches the workspace of a conversation too', async () => {
    const workspace = tempDir('troupe-files-conv-');
    await server.api('POST', '/api/conversations', { agent: { llm: { model: 'openai/m', base_url: 'http://127.0.0.1:9/v1' } }, workspace: { working_dir: workspace } }, headers);
    expect((await upload(join(workspace, 'a.txt'), new TextEncoder().encode('x'))).status).toBe(200);
  });

  it('refuses traversal, relative paths, paths outside the known workspaces and symbolic links leading out', async () => {
    writeFileSync(join(outside, 'secret.txt'), 'outside');
    symlinkSync(outside, join(root, 'escape'));
    expect((await download(`${root}/../${outside.split('/').pop()}/secret.txt`)).status).toBe(400);
    expect((await download('relative/file.txt')).status).toBe(400);
    expect((await download(join(outside, 'secret.txt'))).status).toBe(403);
    expect((await download(join(root, 'escape', 'secret.txt'))).status).toBe(403);
    expect((await upload(join(root, 'escape', 'planted.txt'), new TextEncoder().encode('x'))).status).toBe(403);
    expect((await upload(join(outside, 'planted.txt'), new TextEncoder().encode('x'))).status).toBe(403);
    expect((await upload(`${root}/../planted.txt`, new TextEncoder().encode('x'))).status).toBe(400);
  });

  it('answers 404 for a missing file and 400 for a directory, in the one error shape', async () => {
    const missing = await download(join(root, 'missing.txt'));
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('not found');
    expect((await download(root)).status).toBe(400);
  });
});

describe('git changes / diff', () => {
  const repo = join(root, 'repo');
  it('lists changes against HEAD and diffs one file, in OpenHands shapes', async () => {
    mkdirSync(repo);
    git(repo, 'init', '-q');
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'init');
    writeFileSync(join(repo, 'a.txt'), 'one\n');
    git(repo, 'add', 'a.txt');
    git(repo, 'commit', '-q', '-m', 'a');
    writeFileSync(join(repo, 'a.txt'), 'one\ntwo\n');
    writeFileSync(join(repo, 'new.txt'), 'new\n');
    const changes = await server.api('GET', `/api/git/changes?path=${encodeURIComponent(repo)}`, undefined, headers);
    expect(changes.body).toEqual([
      { status: 'UPDATED', path: 'a.txt' },
      { status: 'ADDED', path: 'new.txt' },
    ]);
    const diff = await server.api('GET', `/api/git/diff?path=${encodeURIComponent(join(repo, 'a.txt'))}`, undefined, headers);
    expect(diff.body).toEqual({ modified: 'one\ntwo', original: 'one' });
  });

  it('[] for a directory that is no repository, nulls for a file outside one; bad refs and paths are 4xx', async () => {
    const plain = join(root, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'f.txt'), 'x');
    expect((await server.api('GET', `/api/git/changes?path=${encodeURIComponent(plain)}`, undefined, headers)).body).toEqual([]);
    expect((await server.api('GET', `/api/git/diff?path=${encodeURIComponent(join(plain, 'f.txt'))}`, undefined, headers)).body).toEqual({ modified: null, original: null });
    expect((await server.api('GET', `/api/git/changes?path=${encodeURIComponent(repo)}&ref=--output=/tmp/x`, undefined, headers)).status).toBe(422);
    expect((await server.api('GET', `/api/git/changes?path=${encodeURIComponent(repo)}&ref=no-such-branch`, undefined, headers)).status).toBe(400);
    expect((await server.api('GET', `/api/git/changes?path=${encodeURIComponent(outside)}`, undefined, headers)).status).toBe(403);
  });

  it('parses renames, copies and type changes (pure)', () => {
    expect(parseNameStatus('R100\told.txt\tnew.txt\nC75\tsrc.txt\tcopy.txt\nT\tlink\nD\tgone.txt\n')).toEqual([
      { status: 'DELETED', path: 'old.txt' },
      { status: 'ADDED', path: 'new.txt' },
      { status: 'ADDED', path: 'copy.txt' },
      { status: 'UPDATED', path: 'link' },
      { status: 'DELETED', path: 'gone.txt' },
    ]);
  });
});
