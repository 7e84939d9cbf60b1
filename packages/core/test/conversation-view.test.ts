import { describe, expect, it } from 'vitest';
import { type Condensation, ConversationView, createEvent, type Event, summaryEventId, textContent, viewOf } from '../src/index.js';
import { action, observation, userMessage } from './events-fixture.js';

/** The view of the history is a pure function of the events, honouring every Condensation in order. */

const system = (): Event => createEvent({ kind: 'SystemPromptEvent', source: 'agent', system_prompt: textContent('You are an agent.'), tools: [] });

function condensation(forgotten: readonly Event[] | readonly string[], summary: string | undefined, offset: number | undefined): Condensation {
  const ids = forgotten.map((item) => (typeof item === 'string' ? item : item.id));
  return createEvent({
    kind: 'Condensation',
    source: 'environment',
    forgotten_event_ids: ids,
    ...(summary === undefined ? {} : { summary }),
    ...(offset === undefined ? {} : { summary_offset: offset }),
    llm_response_id: 'summary-response',
  }) as Condensation;
}

function history(steps: number): Event[] {
  const events: Event[] = [system(), userMessage('Do the task.')];
  for (let i = 0; i < steps; i++) {
    const act = action(`call-${i}`, 'echo', { text: `${i}` });
    events.push(act, observation(act, `echo ${i}`));
  }
  return events;
}

describe('viewOf', () => {
  it('is every event the model sees, without the others, when nothing was condensed', () => {
    const events = history(2);
    events.splice(3, 0, createEvent({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'execution_status', value: 'running' }));
    const view = viewOf(events);
    expect(view.events.map((event) => event.kind)).toEqual(['SystemPromptEvent', 'MessageEvent', 'ActionEvent', 'ObservationEvent', 'ActionEvent', 'ObservationEvent']);
    expect(view.condensationRequested).toBe(false);
  });

  it('drops the forgotten events and puts the summary at its offset, as a user message', () => {
    const events = history(3);
    const forgotten = events.slice(2, 6);
    const applied = condensation(forgotten, 'Echoed 0 and 1.', 2);
    const view = viewOf([...events, applied]);
    expect(view.events.map((event) => event.id)).toEqual([events[0]!.id, events[1]!.id, summaryEventId(applied), events[6]!.id, events[7]!.id]);
    const summary = view.events[2]!;
    expect(summary).toMatchObject({ kind: 'MessageEvent', source: 'environment', llm_message: { role: 'user', content: [{ type: 'text', text: 'Echoed 0 and 1.' }] } });
  });

  it('applies condensations in order: a later one can forget an earlier summary', () => {
    const events = history(4);
    const first = condensation(events.slice(2, 4), 'first', 2);
    const second = condensation([summaryEventId(first), ...events.slice(4, 6).map((event) => event.id)], 'second', 2);
    const view = viewOf([...events, first, second]);
    expect(view.events.map((event) => event.id)).toEqual([events[0]!.id, events[1]!.id, summaryEventId(second), ...events.slice(6).map((event) => event.id)]);
  });

  it('inserts no summary without an offset, and remembers a request until a condensation handles it', () => {
    const events = history(1);
    const request = createEvent({ kind: 'CondensationRequest', source: 'environment' }) as Event;
    expect(viewOf([...events, request]).condensationRequested).toBe(true);
    const applied = condensation(events.slice(2), 'ignored', undefined);
    const view = viewOf([...events, request, applied]);
    expect(view.condensationRequested).toBe(false);
    expect(view.events.map((event) => event.id)).toEqual([events[0]!.id, events[1]!.id]);
  });

  it('kept up to date incrementally, it equals the view computed from scratch at every length', () => {
    const events = history(6);
    events.push(condensation(events.slice(2, 8), 'early steps', 2));
    const more = history(3).slice(2);
    events.push(...more, createEvent({ kind: 'CondensationRequest', source: 'environment' }) as Event, condensation([summaryEventId(events[14] as Condensation), ...more.slice(0, 2).map((e) => e.id)], 'later', 2));
    const carried = new ConversationView();
    for (let length = 0; length <= events.length; length++) {
      const prefix = events.slice(0, length);
      const incremental = carried.update(prefix);
      const scratch = viewOf(prefix);
      expect(incremental.events.map((event) => event.id)).toEqual(scratch.events.map((event) => event.id));
      expect(incremental.condensationRequested).toBe(scratch.condensationRequested);
    }
  });
});
