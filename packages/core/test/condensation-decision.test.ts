import { describe, expect, it } from 'vitest';
import { createEvent, cutPoints, decideCondensation, type Event, type LLMConvertibleEvent, textContent } from '../src/index.js';
import { action, observation, userMessage } from './events-fixture.js';

/** What the condenser forgets is decided from the view alone: which events, where the summary goes. */

const config = { maxSize: 20, keepFirst: 4, minimumProgress: 0.1 };
const system = (): LLMConvertibleEvent => createEvent({ kind: 'SystemPromptEvent', source: 'agent', system_prompt: textContent('prompt'), tools: [] });

/** A system prompt, a task, then `steps` action/observation pairs. */
function history(steps: number): LLMConvertibleEvent[] {
  const events: Event[] = [system(), userMessage('Do it.')];
  for (let i = 0; i < steps; i++) {
    const act = action(`c${i}`, 'echo', { text: `${i}` });
    events.push(act, observation(act, `${i}`));
  }
  return events as LLMConvertibleEvent[];
}

const view = (events: readonly LLMConvertibleEvent[], condensationRequested = false) => ({ events, condensationRequested });

/** The events that remain in the view, by position: [0, start) and [end, n). */
function kept(events: readonly LLMConvertibleEvent[], start: number, end: number): LLMConvertibleEvent[] {
  return [...events.slice(0, start), ...events.slice(end)];
}

/** No result is separated from its action: every kept action's tool_call_id has its kept result and vice versa. */
function pairsIntact(events: readonly LLMConvertibleEvent[]): boolean {
  const actions = new Set(events.flatMap((event) => (event.kind === 'ActionEvent' ? [event.tool_call_id] : [])));
  const results = new Set(events.flatMap((event) => (event.kind === 'ObservationEvent' ? [event.tool_call_id] : [])));
  return actions.size === results.size && [...actions].every((id) => results.has(id));
}

describe('decideCondensation', () => {
  it('does nothing while the view holds at most maxSize events', () => {
    expect(decideCondensation(view(history(9)), config)).toEqual({ kind: 'none' });
  });

  it('past maxSize keeps the first keepFirst events and the recent half, forgetting the middle', () => {
    const events = history(10); // 22 events
    const decision = decideCondensation(view(events), config);
    expect(decision).toMatchObject({ kind: 'forget', requirement: 'soft', start: 4, hardReset: false });
    if (decision.kind !== 'forget') return;
    // maxSize / 2 - keepFirst - 1 = 5 recent events would split a pair: the cut moves on to keep 4.
    expect(decision.end).toBe(18);
    expect(decision.forgotten).toEqual(events.slice(4, 18));
    expect(pairsIntact(kept(events, decision.start, decision.end))).toBe(true);
    expect(kept(events, decision.start, decision.end).length + 1).toBeLessThanOrEqual(config.maxSize / 2);
  });

  it('never splits an action from its result, nor a batch of parallel tool calls', () => {
    const events: LLMConvertibleEvent[] = history(3);
    const batch = [action('p1', 'echo', { text: 'a' }, 'batch'), action('p2', 'echo', { text: 'b' }, 'batch'), action('p3', 'echo', { text: 'c' }, 'batch')];
    events.push(...batch, ...batch.map((act) => observation(act, 'ok')));
    events.push(...history(8).slice(2));
    const cuts = cutPoints(events);
    const batchStart = 8;
    for (let index = batchStart + 1; index < batchStart + 6; index++) expect(cuts[index], `cut inside the batch at ${index}`).toBe(false);
    for (let threshold = 0; threshold < events.length; threshold++) {
      const decision = decideCondensation(view(events), { ...config, keepFirst: Math.min(threshold, 8) });
      if (decision.kind !== 'forget') continue;
      expect(pairsIntact(kept(events, decision.start, decision.end))).toBe(true);
      expect(cuts[decision.start] && cuts[decision.end]).toBe(true);
    }
  });

  it('a request (condense(), or a prompt too long) halves the view even below maxSize', () => {
    const events = history(6); // 14 events
    const decision = decideCondensation(view(events, true), config);
    expect(decision).toMatchObject({ kind: 'forget', requirement: 'hard', start: 4, hardReset: false });
    if (decision.kind === 'forget') expect(decision.end).toBe(14 - 2);
  });

  it('when a request finds nothing to forget between the kept parts, summarizes all but the system prompt', () => {
    const events = history(1); // system, task, action, observation
    const decision = decideCondensation(view(events, true), config);
    expect(decision).toMatchObject({ kind: 'forget', requirement: 'hard', start: 1, end: 4, hardReset: true });
  });

  it('a soft condensation that would forget too little is unavailable; a view of only the system prompt cannot be condensed', () => {
    const events = history(10);
    expect(decideCondensation(view(events), { ...config, minimumProgress: 0.9 })).toMatchObject({ kind: 'unavailable', requirement: 'soft' });
    expect(decideCondensation(view([system()], true), config)).toMatchObject({ kind: 'unavailable', requirement: 'hard' });
  });

  it('leaves an action whose result has not come yet in the view, with everything after it', () => {
    const events = history(10);
    const waiting = action('pending', 'echo', { text: 'later' });
    events.splice(12, 0, waiting);
    const decision = decideCondensation(view(events), config);
    if (decision.kind !== 'forget') throw new Error(`expected a condensation, got ${decision.kind}`);
    expect(decision.end).toBeLessThanOrEqual(12);
    expect(decision.forgotten).not.toContain(waiting);
  });
});
