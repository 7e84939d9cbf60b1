import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import type { ConversationStore } from './conversation-store.js';
import { EventLogWriter, readEventLog } from './event-log.js';
import type { Event } from './events.js';
import { EVENTS_FILE, readStateFile } from './state-file.js';
import { StateFileWriter } from './state-file-writer.js';

/** `persistenceDir/<conversationId>/`: `state.json` + `events.jsonl`. Writes are serialised in call order. */
export class FileConversationStore implements ConversationStore {
  #chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly log: EventLogWriter,
    readonly state: StateFileWriter,
  ) {}

  /**
   * Opens (creating) a conversation directory; `validLogBytes` cuts a torn tail off the log.
   * `processPrivate`: only this process reads the directory, so `state.json` may be rewritten in place.
   */
  static async open(dir: string, validLogBytes?: number, options: { processPrivate?: boolean } = {}): Promise<FileConversationStore> {
    await mkdir(dir, { recursive: true });
    return new FileConversationStore(dir, await EventLogWriter.open(join(dir, EVENTS_FILE), validLogBytes), new StateFileWriter(dir, options.processPrivate === true));
  }

  append(seq: number, event: Event): void {
    this.log.append(seq, event);
  }

  persist(snapshot: ConversationSnapshot | null, sync: boolean): Promise<void> {
    const run = this.#chain.then(async () => {
      await this.log.flush(sync);
      if (snapshot) await this.state.write(snapshot, sync);
    });
    // A failed write fails its caller; later writes still run.
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#chain;
    await this.log.close();
    await this.state.close();
  }
}

export interface LoadedConversation {
  snapshot: ConversationSnapshot;
  events: Event[];
  tornLine?: { line: number; validBytes: number };
}

/** Loads a stored conversation; null when the directory holds none. */
export async function loadConversation(dir: string): Promise<LoadedConversation | null> {
  const snapshot = await readStateFile(dir);
  if (!snapshot) return null;
  const log = await readEventLog(join(dir, EVENTS_FILE));
  return { snapshot, events: log.events, ...(log.tornLine ? { tornLine: log.tornLine } : {}) };
}

/**
 * The snapshots of the conversations stored under `persistenceDir` (reads only each `state.json`),
 * newest activity first. An unreadable one is left out, and so are the directories named in `except`
 * (conversations the caller knows better, e.g. open ones).
 */
export async function listStoredConversations(persistenceDir: string, options: { except?: ReadonlySet<string> } = {}): Promise<ConversationSnapshot[]> {
  let entries: string[];
  try {
    entries = await readdir(persistenceDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const wanted = options.except ? entries.filter((entry) => !options.except!.has(entry)) : entries;
  const snapshots = await Promise.all(wanted.map((entry) => readStateFile(join(persistenceDir, entry)).catch(() => null)));
  return snapshots.filter((snapshot): snapshot is ConversationSnapshot => snapshot !== null).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
