import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readFileIfExists, writeFileAtomic } from './atomic-write.js';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import { AttachmentNameSchema, type ConversationStorage, type OpenedConversation, type StorageSpec } from './conversation-storage.js';
import { FileConversationStore, listStoredConversations, loadConversation } from './file-conversation-store.js';
import { EVENTS_FILE, readStateFile } from './state-file.js';

/** Opens the conversation stored in one directory (`state.json` + `events.jsonl`), creating it when new. */
export async function openConversationDir(dir: string, options: FileStorageOptions = {}): Promise<OpenedConversation> {
  const loaded = await loadConversation(dir);
  const store = await FileConversationStore.open(dir, loaded?.tornLine?.validBytes, options);
  return { loaded, store };
}

export interface FileStorageOptions {
  /** Only this process reads the directory (the supervisor's recovery directory): `state.json` may be rewritten in place. */
  processPrivate?: boolean;
}

/**
 * The default storage: `dir/<conversationId>/` holds `state.json`, `events.jsonl` and the
 * attachments. One process writes a conversation at a time (the supervisor opens each once).
 */
export class FileConversationStorage implements ConversationStorage {
  readonly dir: string;
  readonly spec: StorageSpec;

  readonly #options: FileStorageOptions;

  constructor(dir: string, options: FileStorageOptions = {}) {
    this.dir = resolve(dir);
    this.#options = options;
    this.spec = { kind: 'file', dir: this.dir, ...(options.processPrivate ? { processPrivate: true } : {}) };
  }

  location(conversationId: string): string {
    return join(this.dir, conversationId);
  }

  eventsLocation(conversationId: string): string {
    return join(this.location(conversationId), EVENTS_FILE);
  }

  localDir(conversationId: string): string {
    return this.location(conversationId);
  }

  readSnapshot(conversationId: string): Promise<ConversationSnapshot | null> {
    return readStateFile(this.location(conversationId));
  }

  open(conversationId: string): Promise<OpenedConversation> {
    return openConversationDir(this.location(conversationId), this.#options);
  }

  list(options: { except?: ReadonlySet<string> } = {}): Promise<ConversationSnapshot[]> {
    return listStoredConversations(this.dir, options);
  }

  async delete(conversationId: string): Promise<void> {
    await rm(this.location(conversationId), { recursive: true, force: true });
  }

  async readAttachment(conversationId: string, name: string): Promise<string | null> {
    return readFileIfExists(join(this.location(conversationId), AttachmentNameSchema.parse(name)));
  }

  async writeAttachment(conversationId: string, name: string, text: string): Promise<void> {
    const dir = this.location(conversationId);
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, AttachmentNameSchema.parse(name)), text);
  }

  async close(): Promise<void> {}
}
