import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ControlLane } from '../src/control-lane.js';
import { Doorbell, SLOTS_PER_BOARD } from '../src/doorbell.js';

describe('control lane with more ports than one doorbell board holds', () => {
  it('opens another board, takes the messages of a port on it early, and gives closed slots out again', async () => {
    const lane = new ControlLane();
    const channels = Array.from({ length: SLOTS_PER_BOARD + 1 }, () => new MessageChannel());
    const specs = channels.map(({ port2 }) => lane.open(port2));
    expect(new Set(specs.map((spec) => spec.board)).size).toBe(2);
    expect(new Set(specs.map((spec) => `${specs.indexOf(spec) < SLOTS_PER_BOARD}:${spec.slot}`)).size).toBe(specs.length);

    const last = channels.at(-1)!;
    const received: unknown[] = [];
    lane.listen(last.port2, (data) => received.push(data));
    last.port1.postMessage('on the second board');
    new Doorbell(specs.at(-1)!).ring();
    for (let k = 0; k < 5 && received.length === 0; k++) {
      lane.poll();
      await Promise.resolve();
    }
    expect(received).toEqual(['on the second board']);

    const freed = channels[7]!.port2;
    const freedSpec = specs[7]!;
    lane.close(freed);
    const another = new MessageChannel();
    expect(lane.open(another.port2)).toEqual(freedSpec);
    for (const port of [...channels.flatMap((c): MessagePort[] => [c.port1, c.port2]), another.port1, another.port2]) port.close();
  });
});
