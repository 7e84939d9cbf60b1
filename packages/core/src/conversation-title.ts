import { type Message, textContent } from './content.js';
import { ConversationStateError } from './errors.js';
import type { Event } from './events.js';
import type { LanguageModel, CompletionResponse } from './language-model.js';

/** The longest title `generateTitle` makes unless told otherwise (OpenHands' default). */
export const DEFAULT_TITLE_MAX_LENGTH = 50;

/** The model sees at most this much of the message (a long paste would only cost tokens). */
const TITLE_MESSAGE_LIMIT = 1000;

/** The conversation id the auto-title's model requests carry (`x-troupe-conversation-id`): the mock scripts them apart. */
export function titleConversationId(conversationId: string): string {
  return `${conversationId}/title`;
}

/** The text of the first user message that has any, its text parts joined; undefined when none has. Pure. */
export function firstUserMessageText(events: readonly Event[]): string | undefined {
  for (const event of events) {
    if (event.kind !== 'MessageEvent' || event.source !== 'user') continue;
    const text = event.llm_message.content
      .flatMap((part) => (part.type === 'text' ? [part.text] : []))
      .join(' ')
      .trim();
    if (text) return text;
  }
  return undefined;
}

/** A title cut to `maxLength` characters, ending in `...` when cut. Pure. */
export function clampTitle(title: string, maxLength: number): string {
  const trimmed = title.trim();
  return trimmed.length > maxLength ? `${trimmed.slice(0, Math.max(0, maxLength - 3))}...` : trimmed;
}

/** The messages that ask a model for a title of a conversation starting with `message`. Pure. */
export function titleRequestMessages(message: string, maxLength: number): Message[] {
  const shown = message.length > TITLE_MESSAGE_LIMIT ? `${message.slice(0, TITLE_MESSAGE_LIMIT)}...(truncated)` : message;
  return [
    {
      role: 'system',
      content: [
        textContent(
          'You name conversations between a user and a coding agent that works with a terminal and a file editor. ' +
            'Given the first user message (perhaps cut short), reply with a short, descriptive title and nothing else: no quotes, no explanation.',
        ),
      ],
    },
    { role: 'user', content: [textContent(`Write a title of at most ${maxLength} characters for a conversation that starts with this message:\n\n${shown}`)] },
  ];
}

export interface GenerateTitleOptions {
  /** The conversation's events: the title is made from its first user message. */
  events: readonly Event[];
  /** The model that writes the title; without one the title is the message, cut. */
  llm?: LanguageModel;
  maxLength?: number;
  conversationId?: string;
  /** Aborts the model call (the title is then the message, cut). */
  signal?: AbortSignal;
  /** The model call was made (its tokens and cost are the caller's to record). */
  onCall?: (response: CompletionResponse) => void;
  /** The model call failed; the title falls back to the message, cut. */
  onError?: (error: unknown) => void;
}

/**
 * A title for a conversation by its first user message: the model's, cut to `maxLength`, or, when
 * there is no model, the call fails or it answers nothing, the message itself, cut. A conversation
 * without a user message is a `ConversationStateError`.
 */
export async function generateTitle(options: GenerateTitleOptions): Promise<string> {
  const maxLength = options.maxLength ?? DEFAULT_TITLE_MAX_LENGTH;
  const { llm } = options;
  const message = firstUserMessageText(options.events);
  if (message === undefined) throw new ConversationStateError('The conversation has no user message to make a title from; send one first.');
  if (llm) {
    try {
      const response = await llm.complete({
        messages: titleRequestMessages(message, maxLength),
        tools: [],
        ...(options.conversationId ? { conversationId: options.conversationId } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      options.onCall?.(response);
      const title = clampTitle(response.content ?? '', maxLength);
      if (title) return title;
    } catch (error) {
      options.onError?.(error);
    }
  }
  return clampTitle(message, maxLength);
}
