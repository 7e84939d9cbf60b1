import { z } from 'zod';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import type { Event } from './events.js';

/**
 * When writes reach the disk:
 * - `step` (default): fsync at every step boundary, before a tool with side effects runs, and before
 *   a sent message is acknowledged. A crash loses at most the step in progress (its model reply is
 *   asked for again); no acknowledged message is lost and no side-effecting tool call runs twice.
 * - `event`: fsync after every event. Loses nothing that was emitted; the slowest.
 * - `none`: written at step boundaries and acknowledgements without fsync. A process crash loses
 *   at most the step in progress; a machine crash loses whatever the OS had not flushed.
 */
export const DurabilitySchema = z.enum(['step', 'event', 'none']);
export type Durability = z.infer<typeof DurabilitySchema>;

/** The moments at which the runtime asks the store to persist. */
export type PersistPoint = 'event' | 'ack' | 'side_effect' | 'step';

/** Whether a persist point must be written now, and whether with fsync. */
export function persistPolicy(durability: Durability, point: PersistPoint): { write: boolean; sync: boolean } {
  if (durability === 'event') return { write: true, sync: true };
  if (point === 'event') return { write: false, sync: false };
  return { write: true, sync: durability === 'step' };
}

/** Where a conversation's events and state are kept. The runtime calls it; it never decides when. */
export interface ConversationStore {
  /** Adds an event to the log buffer (`seq` = its index in the conversation). */
  append(seq: number, event: Event): void;
  /** Writes buffered events and, when given, the snapshot; with `sync`, fsyncs before resolving. */
  persist(snapshot: ConversationSnapshot | null, sync: boolean): Promise<void>;
  close(): Promise<void>;
}
