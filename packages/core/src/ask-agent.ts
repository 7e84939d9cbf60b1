import { type Message, textContent } from './content.js';
import { LLMError } from './errors.js';
import type { Event } from './events.js';
import { eventsToMessages } from './events-to-messages.js';
import type { CompletionResponse, LanguageModel, ModelTool } from './language-model.js';

/** The usage id an `askAgent` call's tokens and cost are recorded under (OpenHands' name for it). */
export const ASK_AGENT_USAGE_ID = 'ask-agent-llm';

/** The question as the model gets it: answer from what happened so far, in words, without tools. */
export function askAgentQuestion(question: string): string {
  return [
    '<QUESTION>',
    'Answer this question from what has happened in the conversation so far.',
    '',
    '## Question',
    question,
    '',
    '<IMPORTANT>',
    'Only answer the question: make no tool call.',
    '</IMPORTANT>',
    '</QUESTION>',
  ].join('\n');
}

/**
 * The messages of an `askAgent` call: what the conversation's next step would send (its events as
 * model messages), then the question as a user message. Pure.
 */
export function askAgentMessages(events: readonly Event[], question: string, options: Parameters<typeof eventsToMessages>[1] = {}): Message[] {
  return [...eventsToMessages(events, options), { role: 'user', content: [textContent(askAgentQuestion(question))] }];
}

/** The answer an `askAgent` call gives: the reply's text; a reply without text is an `LLMError`. Pure. */
export function askAgentAnswer(response: CompletionResponse): string {
  const answer = response.content?.trim();
  if (!answer) {
    throw new LLMError(`The model gave no text answer to the question (it asked for ${response.toolCalls.length} tool call(s) instead); ask again.`, { attempts: 1, retryable: true });
  }
  return answer;
}

/** Asks the model the question over the conversation's events; the tools are described so that it understands the calls of the history. */
export function askModel(
  context: { events: readonly Event[]; llm: LanguageModel; tools: readonly ModelTool[]; conversationId: string; blockedMessages?: ReadonlySet<string>; hookEventsFrom?: readonly Event[] },
  question: string,
): Promise<CompletionResponse> {
  const { llm, blockedMessages, hookEventsFrom } = context;
  return llm.complete({
    messages: askAgentMessages(context.events, question, { images: llm.capabilities?.vision !== false, ...(blockedMessages ? { blockedMessages } : {}), ...(hookEventsFrom ? { hookEventsFrom } : {}) }),
    tools: [...context.tools],
    conversationId: context.conversationId,
  });
}
