import { describe, expect, it } from 'vitest';
import { askAgentAnswer, askAgentMessages, askAgentQuestion, contentText, eventsToMessages, LLMError } from '../src/index.js';
import { action, completion, observation, userMessage } from './events-fixture.js';

describe('the messages of an askAgent call (pure)', () => {
  it('are the messages the next step would send, then the question as a user message', () => {
    const ls = action('c1', 'terminal', { command: 'ls' });
    const events = [userMessage('list the files'), ls, observation(ls, 'a.txt')];
    const messages = askAgentMessages(events, 'Which files are there?');
    expect(messages.slice(0, -1)).toEqual(eventsToMessages(events));
    const last = messages.at(-1)!;
    expect(last.role).toBe('user');
    expect(contentText(last.content)).toBe(askAgentQuestion('Which files are there?'));
    expect(contentText(last.content)).toContain('Which files are there?');
  });

  it('leave out a tool call still running, as the next step would', () => {
    const running = action('c2', 'terminal', { command: 'sleep 60' });
    const messages = askAgentMessages([userMessage('wait'), running], 'What are you doing?');
    expect(messages.some((message) => message.tool_calls?.length)).toBe(false);
  });

  it('the answer is the reply text; a reply without text is an LLMError', () => {
    expect(askAgentAnswer(completion({ content: '  Two files.  ' }))).toBe('Two files.');
    expect(() => askAgentAnswer(completion({ content: null }))).toThrow(LLMError);
  });
});
