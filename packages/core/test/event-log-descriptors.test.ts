import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SharedFileHandles, FILE_HANDLES_KEPT, createEvent, EventLogWriter, readEventLog } from '../src/index.js';
import { tempDir } from './helpers.js';

const openDescriptors = (): number => readdirSync('/proc/self/fd').length;
const pause = () => createEvent({ kind: 'PauseEvent', source: 'user' });

describe('event logs hold no file descriptor each', () => {
  it('twice as many open logs as the kept handles, each flushed, keep at most the shared handles open', async () => {
    const dir = tempDir();
    const before = openDescriptors();
    const count = 2 * FILE_HANDLES_KEPT;
    const writers = await Promise.all(Array.from({ length: count }, (_, i) => EventLogWriter.open(join(dir, `${i}.jsonl`))));
    const written = writers.map(() => [pause(), pause()]);
    for (const [i, writer] of writers.entries()) {
      writer.append(0, written[i]![0]!);
      await writer.flush(false);
    }
    await Promise.all(writers.map(async (writer, i) => {
      writer.append(1, written[i]![1]!);
      await writer.flush(i % 100 === 0);
    }));
    expect(openDescriptors() - before).toBeLessThanOrEqual(FILE_HANDLES_KEPT + 5);
    for (const i of [0, 1, FILE_HANDLES_KEPT, count - 1]) {
      const log = await readEventLog(join(dir, `${i}.jsonl`));
      expect(log.events.map((event) => event.id)).toEqual(written[i]!.map((event) => event.id));
    }
    await Promise.all(writers.map((writer) => writer.close()));
    expect(openDescriptors()).toBeLessThanOrEqual(before + 1);
  });

  it('a log whose handle was closed for others reopens it and appends in order', async () => {
    const dir = tempDir();
    const handles = new SharedFileHandles('a', 2);
    const files = ['a', 'b', 'c'].map((name) => join(dir, `${name}.jsonl`));
    const writers = await Promise.all(files.map((file) => EventLogWriter.open(file, undefined, handles)));
    for (let seq = 0; seq < 5; seq++) {
      for (const writer of writers) {
        writer.append(seq, pause());
        await writer.flush(false);
      }
      expect(handles.size).toBeLessThanOrEqual(2);
    }
    for (const file of files) expect((await readEventLog(file)).events).toHaveLength(5);
    await writers[0]!.close();
    await expect(writers[0]!.flush(false)).rejects.toThrow(/is closed/);
  });

  it('a flush that fails (the directory is gone) fails its caller and keeps no broken handle', async () => {
    const dir = tempDir();
    const handles = new SharedFileHandles('a');
    const writer = await EventLogWriter.open(join(dir, 'events.jsonl'), undefined, handles);
    writer.append(0, pause());
    await writer.flush(false);
    await writer.close();
    expect(handles.size).toBe(0);
    const orphan = await EventLogWriter.open(join(dir, 'orphan.jsonl'), undefined, handles);
    rmSync(dir, { recursive: true, force: true });
    orphan.append(0, pause());
    await expect(orphan.flush(false)).rejects.toThrow(/ENOENT/);
    expect(handles.size).toBe(0);
  });
});
