import { describe, expect, it } from 'vitest';
import { AttemptDeadline } from '../src/attempt-deadline.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the deadline of one model attempt', () => {
  it('aborts its signal with a TimeoutError when the time passes, and says it expired', async () => {
    const deadline = new AttemptDeadline(20);
    expect(deadline.signal.aborted).toBe(false);
    await wait(60);
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as DOMException).name).toBe('TimeoutError');
    expect(deadline.expired).toBe(true);
  });

  it("aborts with the caller's reason when the caller aborts first, already or later, and then never expires", async () => {
    const caller = new AbortController();
    const deadline = new AttemptDeadline(30, caller.signal);
    caller.abort(new Error('stop'));
    expect(deadline.signal.aborted).toBe(true);
    expect((deadline.signal.reason as Error).message).toBe('stop');
    await wait(60);
    expect(deadline.expired).toBe(false);

    const early = new AttemptDeadline(30, AbortSignal.abort(new Error('before')));
    expect((early.signal.reason as Error).message).toBe('before');
  });

  it('once disposed, neither the time nor the caller aborts it', async () => {
    const caller = new AbortController();
    const deadline = new AttemptDeadline(20, caller.signal);
    deadline.dispose();
    caller.abort();
    await wait(60);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.expired).toBe(false);
  });
});
