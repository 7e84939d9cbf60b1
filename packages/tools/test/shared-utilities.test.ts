import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_TRUNCATE_NOTICE, truncateMiddle } from '../src/truncate.js';
import { writeFileAtomic } from '@troupe/core';
import { Mutex } from '../src/mutex.js';
import { findOccurrences, insertAfterLine, occurrenceLines } from '../src/file-editor/text-edits.js';
import { catN, splitLines } from '../src/file-editor/cat-n.js';

describe('truncateMiddle', () => {
  test('short text is untouched', () => {
    expect(truncateMiddle('abc', 10)).toBe('abc');
  });

  test('keeps a ceil-sized head, the notice and the tail, within the limit', () => {
    const text = 'H'.repeat(100) + 'T'.repeat(100);
    const limit = DEFAULT_TRUNCATE_NOTICE.length + 11;
    const result = truncateMiddle(text, limit);
    expect(result).toBe(`${'H'.repeat(6)}${DEFAULT_TRUNCATE_NOTICE}${'T'.repeat(5)}`);
    expect(result.length).toBe(limit);
  });
});

describe('writeFileAtomic', () => {
  test('replaces the file, keeps its mode and leaves no temporary file', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'troupe-atomic-'));
    const path = join(directory, 'f.sh');
    writeFileSync(path, 'old');
    chmodSync(path, 0o751);
    await writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(statSync(path).mode & 0o777).toBe(0o751);
    expect(readdirSync(directory)).toEqual(['f.sh']);
    rmSync(directory, { recursive: true });
  });
});

describe('Mutex', () => {
  test('runs tasks one at a time in order, even after a failure', async () => {
    const mutex = new Mutex();
    const events: string[] = [];
    const task = (name: string, fail = false) => async () => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`end ${name}`);
      if (fail) throw new Error(name);
    };
    await Promise.allSettled([mutex.run(task('a', true)), mutex.run(task('b'))]);
    expect(events).toEqual(['start a', 'end a', 'start b', 'end b']);
  });
});

describe('text edits', () => {
  test('occurrences and their start lines', () => {
    expect(occurrenceLines(findOccurrences('ab\nab\nx', 'ab'))).toEqual([1, 2]);
    expect(occurrenceLines(findOccurrences('a\nb', ''))).toEqual([1, 2]);
    expect(findOccurrences('aaaa', 'aa').map((occurrence) => occurrence.index)).toEqual([0, 2]);
  });

  test('insert at the top, in the middle, at the end, into an empty text', () => {
    expect(insertAfterLine('a\nb\n', 0, 'x')).toBe('x\na\nb\n');
    expect(insertAfterLine('a\nb\n', 1, 'x\ny')).toBe('a\nx\ny\nb\n');
    expect(insertAfterLine('a\nb', 2, 'x')).toBe('a\nb\nx\n');
    expect(insertAfterLine('', 0, 'x')).toBe('x\n');
  });

  test('cat -n numbering and line splitting', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(catN(['x', 'y'], 'f', 9)).toBe("Here's the result of running `cat -n` on f:\n     9\tx\n    10\ty\n");
  });
});
