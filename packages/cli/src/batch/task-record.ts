import type { Event } from '@troupe/core';

/**
 * What a task's result needs from its events, gathered as they come (and from the stored history
 * of a resumed conversation), each event counted once by its sequence number.
 */
export class TaskRecord {
  readonly #seen = new Set<number>();
  readonly #responses = new Set<string>();
  #finishMessage: string | null = null;
  #lastAgentText: string | null = null;

  add(event: Event, seq: number | null): void {
    if (seq === null || this.#seen.has(seq)) return;
    this.#seen.add(seq);
    if (event.kind === 'ActionEvent') {
      this.#responses.add(event.llm_response_id);
      if (event.tool_name === 'finish' && typeof event.action?.message === 'string') this.#finishMessage = event.action.message;
    } else if (event.kind === 'MessageEvent' && event.source === 'agent') {
      if (event.llm_response_id) this.#responses.add(event.llm_response_id);
      const text = event.llm_message.content
        .filter((part) => part.type === 'text')
        .map((part) => (part as { text: string }).text)
        .join('')
        .trim();
      if (text) this.#lastAgentText = text;
    }
  }

  /** Model calls that produced a response. */
  get iterations(): number {
    return this.#responses.size;
  }

  /** The `finish` message, else the agent's last text message. */
  get finalMessage(): string | null {
    return this.#finishMessage ?? this.#lastAgentText;
  }
}
