import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SharedFileHandles } from '../src/index.js';
import { tempDir } from './helpers.js';

describe('shared file handles', () => {
  it('when full, files taking turns keep the kept handles and the others write through handles of their own', async () => {
    const dir = tempDir();
    const handles = new SharedFileHandles('a', 2);
    const files = ['a', 'b', 'c', 'd'].map((name) => join(dir, name));
    for (let round = 0; round < 3; round++) {
      for (const file of files) await handles.use(file, (handle) => handle.write(`${round}\n`));
      expect(handles.size).toBe(2);
    }
    for (const file of files) expect(readFileSync(file, 'utf8')).toBe('0\n1\n2\n');
  });

  it('a handle idle for a second makes room for another file', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const dir = tempDir();
      const handles = new SharedFileHandles('a', 1);
      await handles.use(join(dir, 'idle'), (handle) => handle.write('x'));
      await handles.use(join(dir, 'busy'), (handle) => handle.write('y'));
      expect(handles.size).toBe(1);
      vi.advanceTimersByTime(1_500);
      await handles.use(join(dir, 'busy'), (handle) => handle.write('y'));
      await handles.release(join(dir, 'idle'));
      expect(handles.size).toBe(1);
      await handles.release(join(dir, 'busy'));
      expect(handles.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('out of descriptors, the idle kept handles are closed and the write goes through', async () => {
    const dir = tempDir();
    const handles = new SharedFileHandles('a', 4);
    for (const name of ['a', 'b', 'c']) await handles.use(join(dir, name), (handle) => handle.write('x'));
    expect(handles.size).toBe(3);
    let failed = false;
    await handles.use(join(dir, 'd'), async (handle) => {
      if (!failed) {
        failed = true;
        throw Object.assign(new Error('too many open files'), { code: 'EMFILE' });
      }
      await handle.write('y');
    });
    expect(handles.size).toBe(0);
    expect(readFileSync(join(dir, 'd'), 'utf8')).toBe('y');
  });
});
