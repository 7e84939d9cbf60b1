import { ConfigError, type ConversationStorage, type ConversationStorageModule, errorMessage, FileConversationStorage, type StorageSpec } from '@troupe/core';

/** One module storage per spec and thread: the thousands of actors of a thread share its connections. */
const opened = new Map<string, Promise<ConversationStorage>>();

async function openFromModule(spec: Extract<StorageSpec, { kind: 'module' }>): Promise<ConversationStorage> {
  let module: Partial<ConversationStorageModule>;
  try {
    module = (await import(spec.module)) as Partial<ConversationStorageModule>;
  } catch (error) {
    throw new ConfigError(`Cannot load the conversation storage module ${spec.module}: ${errorMessage(error)}. Pass the storage object its package makes (e.g. RedisConversationStorage), whose spec names an importable file URL.`);
  }
  if (typeof module.openConversationStorage !== 'function') {
    throw new ConfigError(`The conversation storage module ${spec.module} exports no openConversationStorage(config) function.`);
  }
  return module.openConversationStorage(spec.config);
}

/**
 * The storage a spec names, in this thread: a file storage (holding nothing open, made for each
 * actor, so the supervisor's one directory per conversation leaves nothing behind in the thread),
 * or one made by the spec's module (once per thread).
 */
export function storageFor(spec: StorageSpec): Promise<ConversationStorage> {
  if (spec.kind === 'file') return Promise.resolve(new FileConversationStorage(spec.dir, { processPrivate: spec.processPrivate === true }));
  const key = JSON.stringify(spec);
  let storage = opened.get(key);
  if (!storage) {
    storage = openFromModule(spec);
    opened.set(key, storage);
    // A failed open is tried again by the next actor rather than cached.
    storage.catch(() => opened.delete(key));
  }
  return storage;
}
