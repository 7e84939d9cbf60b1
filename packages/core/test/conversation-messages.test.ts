import { describe, expect, it } from 'vitest';
import { ConversationMessages, ConversationView, createEvent, type Event, eventsToMessages, textContent, viewOf } from '../src/index.js';

/** A small deterministic generator, so the long conversation is the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const image = { type: 'image' as const, image_urls: ['data:image/png;base64,AAAA'] };

/**
 * A long scripted log: parallel tool calls, results that come late (after a user message, or in a
 * later step), errors and rejections, PostToolUse hook context, blocked user messages, condensation
 * requests and condensations (with and without a summary), and events the model never sees.
 */
function* scriptedLog(seed: number, steps: number): Generator<{ event: Event; blocked?: boolean }> {
  const next = random(seed);
  const seen: string[] = [];
  const unanswered: { id: string; callId: string }[] = [];
  const yieldOf = (event: Event) => {
    seen.push(event.id);
    return { event };
  };
  yield yieldOf(createEvent({ kind: 'SystemPromptEvent', source: 'agent', system_prompt: textContent('You are an agent.'), tools: [] }));
  for (let step = 0; step < steps; step++) {
    const roll = next();
    if (roll < 0.1) {
      const message = createEvent({ kind: 'MessageEvent', source: 'user', llm_message: { role: 'user', content: [textContent(`message ${step}`), ...(next() < 0.3 ? [image] : [])] }, activated_skills: [], extended_content: next() < 0.3 ? [textContent('skill')] : [] });
      seen.push(message.id);
      yield { event: message, blocked: next() < 0.3 };
    } else if (roll < 0.16 && seen.length > 6) {
      const forgotten = seen.slice(1 + Math.floor(next() * 3), 4 + Math.floor(next() * (seen.length - 4)));
      const summary = next() < 0.7 ? { summary: `summary ${step}`, summary_offset: 1 } : {};
      yield yieldOf(createEvent({ kind: 'Condensation', source: 'environment', forgotten_event_ids: forgotten, ...summary, llm_response_id: `cond-${step}` }));
    } else if (roll < 0.19) {
      yield yieldOf(createEvent({ kind: 'CondensationRequest', source: 'user' }));
    } else if (roll < 0.22) {
      yield yieldOf(createEvent({ kind: 'ConversationStateUpdateEvent', source: 'environment', key: 'execution_status', value: 'running' }));
    } else if (roll < 0.3 && unanswered.length > 0) {
      // A result that comes late, after other events.
      const late = unanswered.splice(Math.floor(next() * unanswered.length), 1)[0]!;
      yield yieldOf(createEvent({ kind: 'AgentErrorEvent', source: 'agent', error: `late ${step}`, tool_name: 'echo', tool_call_id: late.callId }));
    } else if (roll < 0.33) {
      yield yieldOf(createEvent({ kind: 'MessageEvent', source: 'agent', llm_message: { role: 'assistant', content: [textContent(`thinking ${step}`)] }, activated_skills: [], extended_content: [] }));
    } else {
      const calls = 1 + Math.floor(next() * 3);
      const actions = Array.from({ length: calls }, (_, index) =>
        createEvent({
          kind: 'ActionEvent',
          source: 'agent',
          thought: index === 0 && next() < 0.5 ? [textContent(`thought ${step}`)] : [],
          ...(index === 0 && next() < 0.3 ? { reasoning_content: `reasoning ${step}` } : {}),
          action: { kind: 'MCPToolAction', data: { step, index } },
          tool_name: 'echo',
          tool_call_id: `call-${step}-${index}`,
          tool_call: { id: `call-${step}-${index}`, name: 'echo', arguments: `{"step":${step}}`, origin: 'completion' },
          llm_response_id: `response-${step}`,
          security_risk: 'UNKNOWN',
        }),
      );
      for (const action of actions) yield yieldOf(action);
      for (const action of actions) {
        const fate = next();
        if (fate < 0.15) {
          unanswered.push({ id: action.id, callId: action.tool_call_id });
          continue;
        }
        const result =
          fate < 0.25
            ? createEvent({ kind: 'UserRejectObservation', source: 'environment', action_id: action.id, tool_name: 'echo', tool_call_id: action.tool_call_id, rejection_reason: 'no', rejection_source: 'user' })
            : createEvent({
                kind: 'ObservationEvent',
                source: 'environment',
                observation: { kind: 'MCPToolObservation', content: [textContent(`out ${step}`), ...(next() < 0.2 ? [image] : [])], is_error: next() < 0.2, tool_name: 'echo' },
                action_id: action.id,
                tool_name: 'echo',
                tool_call_id: action.tool_call_id,
              });
        yield yieldOf(result);
        if (next() < 0.3) {
          yield yieldOf(createEvent({ kind: 'HookExecutionEvent', source: 'hook', hook_event_type: 'PostToolUse', hook_command: 'check', success: true, exit_code: 0, additional_context: `context ${step}`, action_id: action.id }));
        }
      }
    }
  }
}

describe('ConversationMessages', () => {
  it.each([
    { seed: 1, images: true },
    { seed: 7, images: false },
    { seed: 42, images: true },
  ])('equals eventsToMessages of the view from scratch after every event of a long conversation (seed $seed, images $images)', ({ seed, images }) => {
    const log: Event[] = [];
    const blocked = new Set<string>();
    const incremental = new ConversationMessages(new ConversationView());
    let condensations = 0;
    for (const { event, blocked: isBlocked } of scriptedLog(seed, 400)) {
      log.push(event);
      if (isBlocked) blocked.add(event.id);
      if (event.kind === 'Condensation') condensations++;
      const options = { images, blockedMessages: new Set(blocked) };
      expect(incremental.update(log, options)).toEqual(eventsToMessages(viewOf(log).events, { ...options, hookEventsFrom: log }));
    }
    // The script did exercise what it is meant to.
    expect(condensations).toBeGreaterThan(10);
    expect(blocked.size).toBeGreaterThan(3);
    expect(log.filter((event) => event.kind === 'HookExecutionEvent').length).toBeGreaterThan(10);
  });

  it('returns a fresh array each time (a caller may keep the messages of an earlier request)', () => {
    const log: Event[] = [...scriptedLog(3, 20)].map(({ event }) => event);
    const messages = new ConversationMessages(new ConversationView());
    const first = messages.update(log, { images: true, blockedMessages: new Set() });
    const copy = [...first];
    log.push(createEvent({ kind: 'MessageEvent', source: 'user', llm_message: { role: 'user', content: [textContent('more')] }, activated_skills: [], extended_content: [] }));
    const second = messages.update(log, { images: true, blockedMessages: new Set() });
    expect(first).toEqual(copy);
    expect(second).toHaveLength(first.length + 1);
  });
});
