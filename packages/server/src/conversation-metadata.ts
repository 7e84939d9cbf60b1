import { type ConversationStorage, PluginSourceSchema } from '@troupe/core';
import { z } from 'zod';
import { NotAppliedSchema } from './not-applied.js';
import { SecurityAnalyzerSchema, TagsSchema } from './wire-schemas.js';

/** What the server stores beside core's state (an attachment of the conversation): request fields the runtime has no use for. */
const METADATA_ATTACHMENT = 'server.json';

/**
 * The server's own record of a conversation (snake_case, as stored): tags, the security
 * analyzer, autotitle, and every OpenHands field Troupe keeps without acting on it (secrets
 * redacted), with the list of those that would change behaviour (`not_applied`).
 */
export const ConversationMetadataSchema = z.object({
  tags: TagsSchema.default({}),
  security_analyzer: SecurityAnalyzerSchema.nullish(),
  autotitle: z.boolean().default(true),
  /** The request's agent fields core does not take (`llm` holds the LLM's). */
  stored_agent: z.object({ llm: z.record(z.string(), z.unknown()).default({}) }).catchall(z.unknown()).default({ llm: {} }),
  /** The request's conversation fields Troupe keeps as they came (`client_tools`, `plugins`, …). */
  stored_request: z.record(z.string(), z.unknown()).default({}),
  not_applied: z.array(NotAppliedSchema).default([]),
  /** The request's plugins: loaded again whenever the conversation is reopened. */
  plugins: z.array(PluginSourceSchema).default([]),
});
export type ConversationMetadata = z.output<typeof ConversationMetadataSchema>;

export const emptyMetadata = (): ConversationMetadata => ConversationMetadataSchema.parse({});

/** Written atomically beside the conversation, wherever its storage keeps it. */
export async function writeConversationMetadata(storage: ConversationStorage, conversationId: string, metadata: ConversationMetadata): Promise<void> {
  await storage.writeAttachment(conversationId, METADATA_ATTACHMENT, JSON.stringify(metadata));
}

/** The stored metadata; empty when there is none or it is unreadable (it is never essential). */
export async function readConversationMetadata(storage: ConversationStorage, conversationId: string): Promise<ConversationMetadata> {
  try {
    const text = await storage.readAttachment(conversationId, METADATA_ATTACHMENT);
    const parsed = text === null ? null : ConversationMetadataSchema.safeParse(JSON.parse(text));
    if (parsed?.success) return parsed.data;
  } catch {
    // No metadata stored: the conversation was made elsewhere, or before the server kept any.
  }
  return emptyMetadata();
}
