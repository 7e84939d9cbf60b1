import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, WorkspacePathError } from '@troupe/core';
import type { MockServer } from '@troupe/core/testing';
import type { Supervisor } from '@troupe/workers';
import { mockAgent, tempDir, useRuntime } from './helpers.js';

let server: MockServer;
let supervisor: Supervisor;
useRuntime({ supervisor: { threads: 1 } }, (s, sup) => {
  server = s;
  supervisor = sup;
});

describe('a conversation starts only with a usable workspace and valid tool params', () => {
  it('a workspace under /proc, an existing file or with a NUL byte fails at start with a WorkspacePathError, and the thread stays usable', async () => {
    const file = join(tempDir(), 'file');
    writeFileSync(file, 'x');
    for (const workspace of ['/proc/self/xyz', file, `${tempDir()}/a\0b`]) {
      const conversation = supervisor.conversation({ agent: mockAgent(server), workspace });
      await expect(conversation.ready()).rejects.toBeInstanceOf(WorkspacePathError);
      await conversation.close();
    }
    const fine = supervisor.conversation({ agent: mockAgent(server), workspace: join(tempDir(), 'new', 'nested') });
    await fine.ready();
    expect(existsSync(fine.state.workspace!)).toBe(true);
    await fine.close();
  });

  it('tool params are checked with the tool’s own schema: a ConfigError naming the tool and the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ env: { 'A=B': 'x' } }, 'terminal', /tool "terminal".*env\.A=B/],
      [{ noChangeTimeoutSeconds: -1 }, 'terminal', /noChangeTimeoutSeconds/],
      [{ timeout: 5 }, 'terminal', /Unrecognized key: "timeout"/],
      [{ anything: true }, 'file_editor', /tool "file_editor".*Unrecognized key/],
    ];
    for (const [params, name, message] of cases) {
      const conversation = supervisor.conversation({ agent: mockAgent(server, [{ name, params }]), workspace: tempDir() });
      const error = await conversation.ready().then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      await conversation.close();
    }
  });
});
