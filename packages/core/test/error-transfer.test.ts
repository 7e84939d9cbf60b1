import { describe, expect, it } from 'vitest';
import { LLMError, LLMRateLimitError, PersistenceError, reviveError, serializeError } from '../src/index.js';

/** What crosses a thread: the structured clone of plain data. */
const acrossThreads = <T>(value: T): T => structuredClone(value);

describe('typed errors across a thread boundary', () => {
  it('keep their class and their own fields', () => {
    const llm = reviveError(acrossThreads(serializeError(new LLMRateLimitError('slow down', { status: 429, attempts: 3, retryable: true }))));
    expect(llm).toBeInstanceOf(LLMRateLimitError);
    expect(llm).toBeInstanceOf(LLMError);
    expect((llm as LLMError).details).toEqual({ status: 429, attempts: 3, retryable: true });
    const persistence = reviveError(acrossThreads(serializeError(new PersistenceError('bad line', '/data/events.jsonl', 7))));
    expect(persistence).toMatchObject({ name: 'PersistenceError', message: 'bad line', file: '/data/events.jsonl', line: 7 });
    expect(persistence).toBeInstanceOf(PersistenceError);
  });

  it('an unknown error keeps its name, message and fields on a plain Error', () => {
    const error = Object.assign(new Error('odd'), { name: 'OddError', code: 'E_ODD' });
    expect(reviveError(acrossThreads(serializeError(error)))).toMatchObject({ name: 'OddError', message: 'odd', code: 'E_ODD' });
  });
});
