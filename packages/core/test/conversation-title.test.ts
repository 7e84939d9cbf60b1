import { describe, expect, it } from 'vitest';
import { clampTitle, contentText, ConversationStateError, createEvent, firstUserMessageText, generateTitle, titleRequestMessages } from '../src/index.js';
import { mock, ScriptedLLM } from '../src/testing/index.js';
import { agentMessage, userMessage } from './events-fixture.js';

describe('conversation titles', () => {
  it('take the first user message with text (pure)', () => {
    const imageOnly = createEvent({
      kind: 'MessageEvent',
      source: 'user',
      llm_message: { role: 'user', content: [{ type: 'image', image_urls: ['data:image/png;base64,AA=='] }] },
      activated_skills: [],
      extended_content: [],
    });
    expect(firstUserMessageText([agentMessage('hello'), imageOnly, userMessage('  Fix the login bug  '), userMessage('later')])).toBe('Fix the login bug');
    expect(firstUserMessageText([agentMessage('hello')])).toBeUndefined();
  });

  it('are cut to the maximum length with an ellipsis (pure)', () => {
    expect(clampTitle('Short', 50)).toBe('Short');
    expect(clampTitle('x'.repeat(60), 50)).toBe(`${'x'.repeat(47)}...`);
    expect(clampTitle('x'.repeat(60), 50)).toHaveLength(50);
  });

  it('ask the model with the message (cut when long) and the length (pure)', () => {
    const messages = titleRequestMessages('y'.repeat(1500), 40);
    expect(messages.map((message) => message.role)).toEqual(['system', 'user']);
    const asked = contentText(messages[1]!.content);
    expect(asked).toContain('at most 40 characters');
    expect(asked).toContain(`${'y'.repeat(1000)}...(truncated)`);
    expect(asked).not.toContain('y'.repeat(1001));
  });

  it("are the model's answer, cut", async () => {
    const llm = new ScriptedLLM([mock.text('🐛 Fix the login bug on the sign-in page of the web app')]);
    const calls: unknown[] = [];
    const title = await generateTitle({ events: [userMessage('the login fails')], llm, maxLength: 30, onCall: (response) => calls.push(response) });
    expect(title).toBe(`${'🐛 Fix the login bug on the sign-in page'.slice(0, 27)}...`);
    expect(calls).toHaveLength(1);
    expect(contentText(llm.requests[0]![1]!.content)).toContain('the login fails');
  });

  it('fall back to the message, cut, when the model call fails or answers nothing', async () => {
    const failing = new ScriptedLLM([{ ...mock.text('never'), faults: [{ type: 'http_error', status: 500 }] }]);
    const errors: unknown[] = [];
    const message = 'Please refactor the payment module so that it uses the new gateway';
    expect(await generateTitle({ events: [userMessage(message)], llm: failing, onError: (error) => errors.push(error) })).toBe(clampTitle(message, 50));
    expect(errors).toHaveLength(1);
    const silent = new ScriptedLLM([{ reply: { type: 'empty' } }]);
    expect(await generateTitle({ events: [userMessage('Short task')], llm: silent })).toBe('Short task');
    expect(await generateTitle({ events: [userMessage('No model')] })).toBe('No model');
  });

  it('need a user message', async () => {
    await expect(generateTitle({ events: [agentMessage('hi')] })).rejects.toThrow(ConversationStateError);
  });
});
