import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { HookConfigSchema, TagsSchema } from './wire-schemas.js';

/** What the server stores beside core's `state.json`: request fields the runtime has no use for. */
const METADATA_FILE = 'server.json';

const ConversationMetadataSchema = z.object({
  tags: TagsSchema.default({}),
  hook_config: HookConfigSchema.optional(),
});

export interface ConversationMetadata {
  tags: Record<string, string>;
  hookConfig?: Record<string, unknown> | undefined;
}

/** Written atomically (temp file, rename) into the conversation's directory. */
export async function writeConversationMetadata(conversationDir: string, metadata: ConversationMetadata): Promise<void> {
  const file = join(conversationDir, METADATA_FILE);
  await mkdir(conversationDir, { recursive: true });
  const record = { tags: metadata.tags, ...(metadata.hookConfig ? { hook_config: metadata.hookConfig } : {}) };
  await writeFile(`${file}.tmp`, JSON.stringify(record));
  await rename(`${file}.tmp`, file);
}

/** The stored metadata; empty when there is none or it is unreadable (it is never essential). */
export async function readConversationMetadata(conversationDir: string): Promise<ConversationMetadata> {
  try {
    const parsed = ConversationMetadataSchema.safeParse(JSON.parse(await readFile(join(conversationDir, METADATA_FILE), 'utf8')));
    if (parsed.success) return { tags: parsed.data.tags, ...(parsed.data.hook_config ? { hookConfig: parsed.data.hook_config } : {}) };
  } catch {
    // No metadata stored: the conversation was made without tags or hooks, or elsewhere.
  }
  return { tags: {} };
}
