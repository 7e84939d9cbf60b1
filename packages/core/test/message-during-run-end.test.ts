import { describe, expect, it } from 'vitest';
import { type ConversationSnapshot, type ConversationStore, contentText } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { createConversation } from './helpers.js';

describe('a message sent while a run stores its end', () => {
  it('is answered by that run, not left queued after it', async () => {
    const llm = new ScriptedLLM([mock.finish('first done'), mock.finish('second done')]);
    let late: Promise<{ queued: boolean }> | undefined;
    // The store holds the run's last write until a message has been sent in that window.
    const store: ConversationStore = {
      append: () => undefined,
      async persist(snapshot: ConversationSnapshot | null) {
        if (snapshot?.status === 'finished' && late === undefined) {
          late = conversation.runtime.sendMessage('one more thing');
          await late;
        }
      },
      close: async () => undefined,
    };
    const conversation = createConversation(llm, [], { store, durability: 'none' });
    await conversation.runtime.sendMessage('start');
    expect(await conversation.runtime.run()).toBe('finished');
    expect((await late)?.queued).toBe(true);
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[1]!.some((message) => message.role === 'user' && contentText(message.content).includes('one more thing'))).toBe(true);
    expect(conversation.runtime.snapshot().queuedMessages).toEqual([]);
  });
});
