import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConversationState, ConversationStateSchema, SCHEMA_VERSION } from './conversation-state.js';
import { PersistenceError, SchemaVersionError } from './errors.js';

export const STATE_FILE = 'state.json';
export const EVENTS_FILE = 'events.jsonl';

/** Writes `state.json` atomically: a temp file, fsync, rename, then fsync of the directory. */
export async function writeStateFile(dir: string, state: ConversationState, sync: boolean): Promise<void> {
  const file = join(dir, STATE_FILE);
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(JSON.stringify(state));
    if (sync) await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  if (sync) {
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }
}

/** Reads `state.json`; null when there is none. A damaged or unknown-version file is a typed error naming it. */
export async function readStateFile(dir: string): Promise<ConversationState | null> {
  const file = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let raw: { schema_version?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    throw new PersistenceError(`${file} is not valid JSON (truncated or damaged); restore it from a backup. The event log beside it is intact.`, file);
  }
  if (typeof raw.schema_version !== 'number' || raw.schema_version > SCHEMA_VERSION) {
    throw new SchemaVersionError(
      `${file} has schema version ${String(raw.schema_version)}, but this Troupe reads versions up to ${SCHEMA_VERSION}; upgrade Troupe to open this conversation.`,
      file,
    );
  }
  const parsed = ConversationStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersistenceError(`${file} is not a valid conversation state: ${issue?.path.join('.')}: ${issue?.message}.`, file);
  }
  return parsed.data;
}
