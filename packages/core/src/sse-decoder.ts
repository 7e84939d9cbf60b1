/** One server-sent event: its `event` field (null when absent) and its data lines joined by `\n`. */
export interface ServerSentEvent {
  event: string | null;
  data: string;
}

/**
 * The `text/event-stream` format, decoded piece by piece as the body arrives: lines end in
 * `\n`, `\r\n` or `\r` (a piece may end between the two); a blank line dispatches the event;
 * `:` lines are comments. An event not closed by a blank line when the stream ends is dropped,
 * as the format says: the stream was cut in the middle of it.
 */
export class ServerSentEventDecoder {
  #pending = '';
  #event: string | null = null;
  #data: string[] = [];

  /** The events this piece of text completes. */
  push(text: string): ServerSentEvent[] {
    const buffer = this.#pending + text;
    const events: ServerSentEvent[] = [];
    let start = 0;
    // Where the next `\r` is, searched again only once passed (most streams have none).
    let cr = buffer.indexOf('\r');
    for (;;) {
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      const lf = buffer.indexOf('\n', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(lf, cr);
      if (end === -1) break;
      // A `\r` at the very end may be the first half of `\r\n`: wait for the next piece.
      if (buffer.charCodeAt(end) === CR && end === buffer.length - 1) break;
      const event = this.#line(buffer.slice(start, end));
      if (event !== undefined) events.push(event);
      start = end + (buffer.charCodeAt(end) === CR && buffer.charCodeAt(end + 1) === LF ? 2 : 1);
    }
    this.#pending = start === 0 ? buffer : buffer.slice(start);
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line.length === 0) {
      if (this.#data.length === 0 && this.#event === null) return undefined;
      const event = { event: this.#event, data: this.#data.join('\n') };
      this.#event = null;
      this.#data = [];
      return event;
    }
    if (line.charCodeAt(0) === COLON) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    return undefined;
  }
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;

