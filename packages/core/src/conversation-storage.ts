import { z } from 'zod';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import type { ConversationStore } from './conversation-store.js';
import type { LoadedConversation } from './file-conversation-store.js';

/**
 * How a worker thread opens the same storage as the main thread: a plain, serialisable value sent
 * with the actor's init. `file` is built in; any other storage is a module the actor imports by
 * URL (as custom tools are), whose `openConversationStorage(config)` makes it.
 */
export const StorageSpecSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file'),
    dir: z.string().min(1),
    /** Only this process reads `dir` (the supervisor's recovery directory): state files are rewritten in place. */
    processPrivate: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('module'), module: z.string().min(1), config: z.record(z.string(), z.unknown()) }),
]);
export type StorageSpec = z.infer<typeof StorageSpecSchema>;

/** A conversation opened for writing: what was stored (null when new) and its only writer while open. */
export interface OpenedConversation {
  loaded: LoadedConversation | null;
  store: ConversationStore;
}

/**
 * Where conversations are kept (a directory, a Redis server, …): opens one for writing, reads
 * stored snapshots, lists and deletes them. The runtime writes through the `ConversationStore` that
 * `open` returns; nothing else writes a conversation's events or state.
 */
export interface ConversationStorage {
  /** How the actor's thread opens this storage. */
  readonly spec: StorageSpec;
  /** Where a conversation is kept, for people and the wire (`<dir>/<id>`, a Redis URL and key). */
  location(conversationId: string): string;
  /** Where its events are kept, for people (a batch result's `events_path`). */
  eventsLocation(conversationId: string): string;
  /** A directory of the conversation's own on this machine for tools that keep files (the task list); undefined when the storage has none. */
  localDir(conversationId: string): string | undefined;
  /** The stored snapshot, or null; a damaged or unknown-version one is a typed error naming it. */
  readSnapshot(conversationId: string): Promise<ConversationSnapshot | null>;
  /**
   * Opens a conversation for writing: claims it (a storage shared between processes lets one writer
   * at a time), then reads what is stored. Closing the store gives it up.
   */
  open(conversationId: string): Promise<OpenedConversation>;
  /** The stored snapshots, newest activity first; unreadable ones left out, and those in `except` not read (a caller that knows them better). */
  list(options?: { except?: ReadonlySet<string> }): Promise<ConversationSnapshot[]>;
  /** Removes everything stored for the conversation. */
  delete(conversationId: string): Promise<void>;
  /** A named record kept beside the conversation (the server's tags); null when none. */
  readAttachment(conversationId: string, name: string): Promise<string | null>;
  writeAttachment(conversationId: string, name: string, text: string): Promise<void>;
  /** Frees what the storage holds (connections); open conversations are closed first by their owners. */
  close(): Promise<void>;
}

/** What a storage module (the `module` of a spec) exports. */
export interface ConversationStorageModule {
  openConversationStorage(config: Record<string, unknown>): ConversationStorage | Promise<ConversationStorage>;
}

/** Names of attachments: plain file names, so that every storage can keep them as they are. */
export const AttachmentNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');
