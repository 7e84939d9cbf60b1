import { describe, expect, expectTypeOf, it } from 'vitest';
import { RemoteConversation } from '@troupe/server';
import { Conversation, type ConversationHandle } from '@troupe/workers';

/** Every method of a class, its bases' included (the constructor aside). */
function methodsOf(prototype: object): string[] {
  const names = new Set<string>();
  for (let p: object | null = prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const descriptor = Object.getOwnPropertyDescriptor(p, name)!;
      if (name !== 'constructor' && typeof descriptor.value === 'function') names.add(name);
    }
  }
  return [...names].sort();
}

describe('one handle contract', () => {
  it('Conversation and RemoteConversation both are ConversationHandles (checked by the type checker)', () => {
    expectTypeOf<Conversation>().toExtend<ConversationHandle>();
    expectTypeOf<RemoteConversation>().toExtend<ConversationHandle>();
    expectTypeOf<Conversation['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<RemoteConversation['close']>().returns.toEqualTypeOf<Promise<void>>();
    expectTypeOf<Parameters<Conversation['sendMessage']>>().toEqualTypeOf<Parameters<RemoteConversation['sendMessage']>>();
  });

  it('they offer the same methods, but for what only one side can do', () => {
    const onlyLocal = ['firstSeqAt'];
    const onlyRemote = ['delete'];
    expect(methodsOf(Conversation.prototype).filter((name) => !onlyLocal.includes(name))).toEqual(
      methodsOf(RemoteConversation.prototype).filter((name) => !onlyRemote.includes(name)),
    );
  });
});
