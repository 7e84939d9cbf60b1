import { type AgentConfig, type ConversationSnapshot, statsSnapshot } from '@troupe/core';
import type { MirroredSnapshot } from './mailbox.js';

/** The snapshot as the handle mirrors it: per-call stats lists stay in the actor (`get_snapshot` has them). */
export function mirrored(snapshot: ConversationSnapshot): ConversationSnapshot {
  return { ...snapshot, stats: statsSnapshot(snapshot.stats) };
}

/** The same for a batch: without the agent when it is the one the handle was sent last. */
export function mirroredChange(snapshot: ConversationSnapshot, sentAgent: AgentConfig | undefined): MirroredSnapshot {
  const { agent, ...rest } = mirrored(snapshot);
  return agent === sentAgent ? rest : { ...rest, agent };
}
