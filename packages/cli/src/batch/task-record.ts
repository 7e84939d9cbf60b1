import { type Event, finalResponseOf } from '@troupe/core';

/**
 * What a task's result needs from its events, gathered as they come (and from the stored history
 * of a resumed conversation), each event counted once by its sequence number.
 */
export class TaskRecord {
  readonly #seen = new Set<number>();
  readonly #responses = new Set<string>();
  #finalResponse: string | undefined;
  /** The sequence number of the event that gave it. */
  #newest: number | undefined;

  add(event: Event, seq: number | null): void {
    if (seq === null || this.#seen.has(seq)) return;
    this.#seen.add(seq);
    if (event.kind === 'ActionEvent' || (event.kind === 'MessageEvent' && event.source === 'agent' && event.llm_response_id)) {
      this.#responses.add(event.llm_response_id!);
    }
    // Events come in log order, so the latest candidate is the final response (core's rule).
    const response = finalResponseOf(event);
    if (response !== undefined && (this.#newest === undefined || seq > this.#newest)) {
      this.#finalResponse = response;
      this.#newest = seq;
    }
  }

  /** Model calls that produced a response. */
  get iterations(): number {
    return this.#responses.size;
  }

  /** The agent's final response (`agentFinalResponse`'s rule), or null when it said nothing. */
  get finalMessage(): string | null {
    return this.#finalResponse || null;
  }
}
