import { describe, expect, it } from 'vitest';
import { ServerSentEventDecoder } from '../src/sse-decoder.js';

/** Every event of a stream cut into `pieces`. */
function decode(...pieces: string[]) {
  const decoder = new ServerSentEventDecoder();
  return pieces.flatMap((piece) => decoder.push(piece));
}

describe('ServerSentEventDecoder', () => {
  it('dispatches an event at each blank line, its data lines joined by a newline', () => {
    expect(decode('data: {"a":1}\n\ndata: one\ndata: two\n\n')).toEqual([
      { event: null, data: '{"a":1}' },
      { event: null, data: 'one\ntwo' },
    ]);
  });

  it('reads \\r\\n and \\r line ends, also when a piece ends between \\r and \\n', () => {
    const events = [{ event: null, data: 'x' }, { event: null, data: 'y' }, { event: null, data: 'z' }];
    expect(decode('data: x\r\n\r\ndata: y\r\rdata: z\n\n')).toEqual(events);
    expect(decode('data: x\r', '\n\r', '\ndata: y\r', '\rdata: z\n', '\n')).toEqual(events);
  });

  it('puts an event together from pieces split anywhere', () => {
    const stream = 'event: message\ndata: {"id":"c1","choices":[]}\n\ndata: [DONE]\n\n';
    const whole = decode(stream);
    expect(whole).toEqual([{ event: 'message', data: '{"id":"c1","choices":[]}' }, { event: null, data: '[DONE]' }]);
    for (let cut = 1; cut < stream.length; cut++) expect(decode(stream.slice(0, cut), stream.slice(cut))).toEqual(whole);
    expect(decode(...stream.split(''))).toEqual(whole);
  });

  it('skips comments and unknown fields; takes a value without the space after the colon', () => {
    expect(decode(': keep-alive\nid: 4\nretry: 10\ndata:tight\n\n')).toEqual([{ event: null, data: 'tight' }]);
  });

  it('drops an event the stream ended in the middle of', () => {
    expect(decode('data: {"whole":true}\n\ndata: {"cut":')).toEqual([{ event: null, data: '{"whole":true}' }]);
  });
});
