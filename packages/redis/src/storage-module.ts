import type { ConversationStorage } from '@troupe/core';
import { RedisConversationStorage } from './redis-conversation-storage.js';

/**
 * The entry point a worker thread imports by the storage's spec (`{ kind: 'module', module: <this
 * file's URL>, config }`): the thread makes its own connection, shared by all its actors.
 */
export function openConversationStorage(config: Record<string, unknown>): ConversationStorage {
  return new RedisConversationStorage(config as { url: string });
}
