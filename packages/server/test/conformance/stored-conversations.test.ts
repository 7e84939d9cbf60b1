import { describe, expect, it } from 'vitest';
import { loadConversation } from '@troupe/core';
import { openHandsRejection } from './openhands-event-models.js';
import { OhConversationStats } from './openhands-state-models.js';

/** Core's frozen conversations, one per schema version (read only: loading never writes). */
const FROZEN = (version: number) => new URL(`../../../core/test/fixtures/conversation-v${version}/frozen-v${version}/`, import.meta.url).pathname;

describe('stored conversations of every schema version read as OpenHands events', () => {
  it.each([1, 2])('version %i: every event and the stats validate against OpenHands’ models', async (version) => {
    const loaded = await loadConversation(FROZEN(version));
    expect(loaded!.events.length).toBeGreaterThan(5);
    expect(loaded!.events.map(openHandsRejection).filter(Boolean)).toEqual([]);
    expect(OhConversationStats.safeParse(loaded!.snapshot.stats).error).toBeUndefined();
  });
});
