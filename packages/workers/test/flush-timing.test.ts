import { describe, expect, it } from 'vitest';
import { FlushTiming, MIRROR_DELAY_MS } from '../src/flush-timing.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('when an actor sends its batch', () => {
  it('soon: at the next turn of the event loop, once however often it is asked', async () => {
    let flushes = 0;
    const timing = new FlushTiming(() => flushes++);
    timing.soon();
    timing.soon();
    expect(flushes).toBe(0);
    await turn();
    expect(flushes).toBe(1);
  });

  it('later: within the mirror delay, not at the next turn; asking soon meanwhile sends it at once, and only once', async () => {
    let flushes = 0;
    const timing = new FlushTiming(() => flushes++);
    timing.later();
    timing.later();
    await turn();
    expect(flushes).toBe(0);
    await wait(MIRROR_DELAY_MS * 3);
    expect(flushes).toBe(1);

    timing.later();
    timing.soon();
    await turn();
    expect(flushes).toBe(2);
    await wait(MIRROR_DELAY_MS * 3);
    expect(flushes).toBe(2);
  });

  it('reset: a batch sent otherwise leaves nothing due', async () => {
    let flushes = 0;
    const timing = new FlushTiming(() => flushes++);
    timing.soon();
    timing.later();
    timing.reset();
    await wait(MIRROR_DELAY_MS * 3);
    expect(flushes).toBe(0);
  });
});
