import type { ConversationStorage } from '@troupe/core';
import { z } from 'zod';
import { HookConfigSchema, TagsSchema } from './wire-schemas.js';

/** What the server stores beside core's state (an attachment of the conversation): request fields the runtime has no use for. */
const METADATA_ATTACHMENT = 'server.json';

const ConversationMetadataSchema = z.object({
  tags: TagsSchema.default({}),
  hook_config: HookConfigSchema.optional(),
});

export interface ConversationMetadata {
  tags: Record<string, string>;
  hookConfig?: Record<string, unknown> | undefined;
}

/** Written atomically beside the conversation, wherever its storage keeps it. */
export async function writeConversationMetadata(storage: ConversationStorage, conversationId: string, metadata: ConversationMetadata): Promise<void> {
  const record = { tags: metadata.tags, ...(metadata.hookConfig ? { hook_config: metadata.hookConfig } : {}) };
  await storage.writeAttachment(conversationId, METADATA_ATTACHMENT, JSON.stringify(record));
}

/** The stored metadata; empty when there is none or it is unreadable (it is never essential). */
export async function readConversationMetadata(storage: ConversationStorage, conversationId: string): Promise<ConversationMetadata> {
  try {
    const text = await storage.readAttachment(conversationId, METADATA_ATTACHMENT);
    const parsed = text === null ? null : ConversationMetadataSchema.safeParse(JSON.parse(text));
    if (parsed?.success) return { tags: parsed.data.tags, ...(parsed.data.hook_config ? { hookConfig: parsed.data.hook_config } : {}) };
  } catch {
    // No metadata stored: the conversation was made without tags or hooks, or elsewhere.
  }
  return { tags: {} };
}
