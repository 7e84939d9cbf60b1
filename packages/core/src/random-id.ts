import { randomUUID } from 'node:crypto';

const idBytes = Buffer.allocUnsafe(36);

/**
 * A random UUID (v4) as one flat string. `randomUUID()` builds its result by concatenation, a rope
 * of about twenty pieces (~600 bytes of heap instead of ~60) that lives as long as the id does:
 * in every event, message and handle. Ids stay for a conversation's life, so they are copied flat.
 */
export function randomId(): string {
  idBytes.write(randomUUID(), 'latin1');
  return idBytes.toString('latin1');
}
