import type { Message } from './content.js';
import type { ConversationView } from './conversation-view.js';
import { type ActionEvent, type ActionResultEvent, type Event, isActionResult, type LLMConvertibleEvent } from './events.js';
import { addHookContext, messageOf, pushBatch, withoutImages } from './events-to-messages.js';

export interface MessageOptions {
  /** The model takes images (else each becomes a note that one was left out). */
  images: boolean;
  /** User messages a hook kept from the model (the set only grows). */
  blockedMessages: ReadonlySet<string>;
}

/** The messages of a run of view events: one system prompt, one message, or one model response's actions. */
interface Segment {
  index: number;
  /** Where its messages start in the flat list. */
  offset: number;
  /** The view events it covers: `[start, end)`. */
  start: number;
  end: number;
  messages: Message[];
  /** A result or hook context for one of its actions came in: its messages are made again. */
  dirty: boolean;
}

/**
 * The messages of the next model request, kept up to date with the log: a step reads only the
 * events appended since the last one (a result or hook context for an earlier action remakes that
 * action's messages only; a condensation or a newly blocked message remakes them all). Always equal
 * to `eventsToMessages(viewOf(log).events, { ...options, hookEventsFrom: log })`.
 */
export class ConversationMessages {
  readonly #view: ConversationView;
  /** PostToolUse hook context by action id, from the whole log (hook events are not in the view). */
  readonly #hookContext = new Map<string, string[]>();
  #logRead = 0;
  #viewRead = 0;
  #built: { condensations: number; images: boolean; blocked: number } | null = null;
  #resultsByCall = new Map<string, ActionResultEvent>();
  #segments: Segment[] = [];
  /** Segments of the actions by tool call id, and by action id. */
  #byCall = new Map<string, Segment[]>();
  #byAction = new Map<string, Segment>();
  #messages: Message[] = [];
  /** The first segment whose messages must be made again (none: the segments' count). */
  #firstDirty = 0;

  constructor(view: ConversationView) {
    this.#view = view;
  }

  /** Brings the messages up to date with an append-only log and returns them (a fresh array each time). */
  update(log: readonly Event[], options: MessageOptions): Message[] {
    for (; this.#logRead < log.length; this.#logRead++) {
      const actionId = addHookContext(this.#hookContext, log[this.#logRead]!);
      if (actionId !== undefined) this.#markDirty(this.#byAction.get(actionId));
    }
    const view = this.#view;
    view.update(log);
    const built = { condensations: view.condensations, images: options.images, blocked: options.blockedMessages.size };
    if (!this.#built || built.condensations !== this.#built.condensations || built.images !== this.#built.images || built.blocked !== this.#built.blocked) this.#reset();
    this.#built = built;
    const events = view.events;
    for (; this.#viewRead < events.length; this.#viewRead++) this.#add(events, this.#viewRead, options);
    this.#remake(events, options);
    return this.#messages.slice();
  }

  #reset(): void {
    this.#viewRead = 0;
    this.#resultsByCall = new Map();
    this.#segments = [];
    this.#byCall = new Map();
    this.#byAction = new Map();
    this.#messages = [];
    this.#firstDirty = 0;
  }

  #add(events: readonly LLMConvertibleEvent[], index: number, options: MessageOptions): void {
    const event = events[index]!;
    if (isActionResult(event)) {
      this.#resultsByCall.set(event.tool_call_id, event);
      for (const segment of this.#byCall.get(event.tool_call_id) ?? []) this.#markDirty(segment);
      return;
    }
    switch (event.kind) {
      case 'SystemPromptEvent':
        this.#push(index, [{ role: 'system', content: [event.system_prompt] }], options);
        return;
      case 'MessageEvent':
        this.#push(index, options.blockedMessages.has(event.id) ? [] : [messageOf(event)], options);
        return;
      case 'ActionEvent': {
        const last = this.#segments.at(-1);
        const first = last && events[last.start]!;
        // The next action of the same model response, right after the previous one: the same batch.
        const segment = last && last.end === index && first?.kind === 'ActionEvent' && first.llm_response_id === event.llm_response_id ? last : this.#push(index, [], options);
        segment.end = index + 1;
        this.#markDirty(segment);
        this.#byCall.set(event.tool_call_id, [...(this.#byCall.get(event.tool_call_id) ?? []), segment]);
        this.#byAction.set(event.id, segment);
        return;
      }
      default:
        // Other kinds are not shown to the model.
        return;
    }
  }

  #push(index: number, messages: Message[], options: MessageOptions): Segment {
    const segment: Segment = { index: this.#segments.length, offset: 0, start: index, end: index + 1, messages: options.images ? messages : messages.map(withoutImages), dirty: false };
    this.#segments.push(segment);
    if (this.#firstDirty === segment.index) this.#firstDirty++;
    segment.offset = this.#messages.length;
    this.#messages.push(...segment.messages);
    return segment;
  }

  #markDirty(segment: Segment | undefined): void {
    if (!segment) return;
    segment.dirty = true;
    this.#firstDirty = Math.min(this.#firstDirty, segment.index);
  }

  /** Makes the changed batches' messages again, and the flat list from the first of them on. */
  #remake(events: readonly LLMConvertibleEvent[], options: MessageOptions): void {
    const segments = this.#segments;
    if (this.#firstDirty >= segments.length) return;
    this.#messages.length = segments[this.#firstDirty]!.offset;
    for (let index = this.#firstDirty; index < segments.length; index++) {
      const segment = segments[index]!;
      if (segment.dirty) {
        const messages: Message[] = [];
        pushBatch(events.slice(segment.start, segment.end) as ActionEvent[], this.#resultsByCall, this.#hookContext, messages);
        segment.messages = options.images ? messages : messages.map(withoutImages);
        segment.dirty = false;
      }
      segment.offset = this.#messages.length;
      this.#messages.push(...segment.messages);
    }
    this.#firstDirty = segments.length;
  }
}
