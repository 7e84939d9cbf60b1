import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileConversationStorage, LLM, readStateFile, SharedFileHandles, StateFileWriter } from '../src/index.js';
import { createConversation, tempDir } from './helpers.js';

function snapshotWithTitle(title: string) {
  return { ...createConversation(new LLM({ model: 'openai/mock-model', baseUrl: 'http://127.0.0.1:9/v1' }), []).runtime.snapshot(), title };
}

describe('state.json rewritten in place (a directory only this process reads)', () => {
  it('a shorter state leaves no tail of the longer one: the file reads back as the last state', async () => {
    const dir = tempDir();
    const writer = new StateFileWriter(dir, true, new SharedFileHandles('r+'));
    await writer.write(snapshotWithTitle('a long title '.repeat(20)), false);
    const longLength = statSync(writer.file).size;
    await writer.write(snapshotWithTitle('short'), false);
    expect(statSync(writer.file).size).toBe(longLength);
    expect(JSON.parse(readFileSync(writer.file, 'utf8')).title).toBe('short');
    expect((await readStateFile(dir))?.title).toBe('short');
    await writer.close();
  });

  it('keeps one handle per file, and a synced write (a rename) drops it so later writes reach the new file', async () => {
    const dir = tempDir();
    const handles = new SharedFileHandles('r+');
    const writer = new StateFileWriter(dir, true, handles);
    await writer.write(snapshotWithTitle('one'), false);
    expect(handles.size).toBe(0);
    await writer.write(snapshotWithTitle('two'), false);
    expect(handles.size).toBe(1);
    await writer.write(snapshotWithTitle('three'), true);
    expect(handles.size).toBe(0);
    await writer.write(snapshotWithTitle('four'), false);
    expect((await readStateFile(dir))?.title).toBe('four');
    await writer.close();
    expect(handles.size).toBe(0);
  });

  it('a shared directory is never rewritten in place: every write replaces the file', async () => {
    const dir = tempDir();
    const writer = new StateFileWriter(dir, false, new SharedFileHandles('r+'));
    await writer.write(snapshotWithTitle('one'), false);
    const first = statSync(writer.file).ino;
    await writer.write(snapshotWithTitle('two'), false);
    expect(statSync(writer.file).ino).not.toBe(first);
    expect((await readStateFile(dir))?.title).toBe('two');
  });

  it('the file storage of a process-private directory says so in its spec and stores the same state', async () => {
    const dir = tempDir();
    const storage = new FileConversationStorage(dir, { processPrivate: true });
    expect(storage.spec).toEqual({ kind: 'file', dir, processPrivate: true });
    const { store } = await storage.open('c1');
    for (const title of ['first state, longer than the next', 'second']) await store.persist({ ...snapshotWithTitle(title), id: 'c1' }, false);
    await store.close();
    expect((await storage.readSnapshot('c1'))?.title).toBe('second');
    expect(new FileConversationStorage(dir).spec).toEqual({ kind: 'file', dir });
  });
});
