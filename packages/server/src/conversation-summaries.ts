import { type ConversationSnapshot, type ConversationStats, totalCost, totalTokenUsage } from '@troupe/core';
import type { ConversationService } from './conversation-service.js';
import type { ConversationSummaryWire } from './troupe-schemas.js';

/** Model calls recorded in full stats: one latency each (stats as totals have none; a call without tokens has no token usage). */
export function modelCalls(stats: ConversationStats): number {
  let calls = 0;
  for (const metrics of Object.values(stats.usage_to_metrics)) calls += metrics.response_latencies.length;
  return calls;
}

/** A conversation as a list row shows it. */
export function toSummary(snapshot: ConversationSnapshot, steps: number): ConversationSummaryWire {
  const usage = totalTokenUsage(snapshot.stats);
  return {
    id: snapshot.id,
    title: snapshot.title ?? null,
    execution_status: snapshot.status,
    model: snapshot.agent.llm.model,
    steps,
    tokens: usage.prompt_tokens + usage.completion_tokens,
    cost: totalCost(snapshot.stats),
    event_count: snapshot.eventCount,
    created_at: snapshot.createdAt,
    updated_at: snapshot.updatedAt,
  };
}

/**
 * Summaries of every conversation for the dashboard's live list, polled often. An open
 * conversation's mirrored snapshot has its stats as totals only, so its step count is read from
 * its whole snapshot (in its actor), and again only once it has new events or tokens.
 */
export class ConversationSummaries {
  readonly #service: ConversationService;
  /** Step counts of open conversations, with the stamp (events and tokens) they were read at. */
  readonly #steps = new Map<string, { stamp: string; steps: number }>();

  constructor(service: ConversationService) {
    this.#service = service;
  }

  async list(): Promise<ConversationSummaryWire[]> {
    const entries = await this.#service.snapshots();
    const live = new Set<string>();
    const summaries = await Promise.all(
      entries.map(async ({ snapshot, handle }) => {
        live.add(snapshot.id);
        if (!handle) return toSummary(snapshot, modelCalls(snapshot.stats));
        const summary = toSummary(snapshot, 0);
        // A model call moves the tokens, its events the count: either means the steps may have moved.
        const stamp = `${snapshot.eventCount}:${summary.tokens}`;
        const known = this.#steps.get(snapshot.id);
        if (known?.stamp === stamp) return { ...summary, steps: known.steps };
        try {
          const steps = modelCalls((await handle.snapshot()).stats);
          this.#steps.set(snapshot.id, { stamp, steps });
          return { ...summary, steps };
        } catch {
          // Closing: the last count known, asked again next time.
          return { ...summary, steps: known?.steps ?? 0 };
        }
      }),
    );
    for (const id of this.#steps.keys()) if (!live.has(id)) this.#steps.delete(id);
    return summaries.sort((a, b) => b.updated_at.localeCompare(a.updated_at) || a.id.localeCompare(b.id));
  }
}
