import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConversationState, ConversationStatus } from './conversation-state.js';
import type { ConversationStore } from './conversation-store.js';
import { EventLogWriter, readEventLog } from './event-log.js';
import type { Event } from './events.js';
import { EVENTS_FILE, readStateFile, writeStateFile } from './state-file.js';

/** `persistenceDir/<conversationId>/`: `state.json` + `events.jsonl`. Writes are serialised in call order. */
export class FileConversationStore implements ConversationStore {
  #chain: Promise<void> = Promise.resolve();

  private constructor(
    readonly dir: string,
    readonly log: EventLogWriter,
  ) {}

  /** Opens (creating) a conversation directory; `validLogBytes` cuts a torn tail off the log. */
  static async open(dir: string, validLogBytes?: number): Promise<FileConversationStore> {
    await mkdir(dir, { recursive: true });
    return new FileConversationStore(dir, await EventLogWriter.open(join(dir, EVENTS_FILE), validLogBytes));
  }

  append(seq: number, event: Event): void {
    this.log.append(seq, event);
  }

  persist(state: ConversationState | null, sync: boolean): Promise<void> {
    const run = this.#chain.then(async () => {
      await this.log.flush(sync);
      if (state) await writeStateFile(this.dir, state, sync);
    });
    // A failed write fails its caller; later writes still run.
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#chain;
    await this.log.close();
  }
}

export interface LoadedConversation {
  state: ConversationState;
  events: Event[];
  tornLine?: { line: number; validBytes: number };
}

/** Loads a stored conversation; null when the directory holds none. */
export async function loadConversation(dir: string): Promise<LoadedConversation | null> {
  const state = await readStateFile(dir);
  if (!state) return null;
  const log = await readEventLog(join(dir, EVENTS_FILE));
  return { state, events: log.events, ...(log.tornLine ? { tornLine: log.tornLine } : {}) };
}

export interface StoredConversationInfo {
  id: string;
  status: ConversationStatus;
  title?: string;
  createdAt: string;
  /** The last activity. */
  updatedAt: string;
  dir: string;
}

/** Lists the conversations stored under `persistenceDir` (reads only each `state.json`), newest activity first. */
export async function listStoredConversations(persistenceDir: string): Promise<StoredConversationInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(persistenceDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const infos = await Promise.all(
    entries.map(async (entry) => {
      const dir = join(persistenceDir, entry);
      const state = await readStateFile(dir).catch(() => null);
      if (!state) return null;
      const info: StoredConversationInfo = {
        id: state.id,
        status: state.execution_status,
        createdAt: state.created_at,
        updatedAt: state.updated_at,
        dir,
        ...(state.title === undefined ? {} : { title: state.title }),
      };
      return info;
    }),
  );
  return infos.filter((info): info is StoredConversationInfo => info !== null).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

