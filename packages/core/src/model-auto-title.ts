import { generateTitle, titleConversationId } from './conversation-title.js';
import { errorMessage } from './errors.js';
import type { MessageEvent } from './events.js';
import type { CompletionResponse, LanguageModel } from './language-model.js';
import type { Logger } from './logger.js';

export interface ModelAutoTitleContext {
  conversationId: string;
  /** The agent's model: it writes the title. */
  llm: LanguageModel;
  /** The conversation's title now (one set while the model wrote wins). */
  title(): string | undefined;
  /** Sets and saves the title. */
  apply(title: string): Promise<void>;
  recordCall(response: CompletionResponse): void;
  /** The model could not write it: say so in the log (the title is the message, cut). */
  reportFailure(error: unknown): void;
  logger: Logger;
}

/**
 * A conversation that titles itself with its model, in the background, at its first user message
 * (as OpenHands' agent server does with `autotitle`): the run does not wait for it; a failed call
 * is reported and the title is that message, cut; a title set meanwhile is kept. Once per
 * conversation lifetime in this process.
 */
export class ModelAutoTitle {
  readonly #context: ModelAutoTitleContext;
  readonly #abort = new AbortController();
  #writing: Promise<void> | undefined;

  constructor(context: ModelAutoTitleContext) {
    this.#context = context;
  }

  /** A user message entered the log (not blocked): the first of an untitled conversation starts the title. */
  consider(message: MessageEvent): void {
    if (this.#writing || this.#context.title() !== undefined) return;
    if (!message.llm_message.content.some((part) => part.type === 'text' && part.text.trim())) return;
    this.#writing = this.#write(message).catch((error: unknown) => this.#context.logger.warn(`Writing the title failed: ${errorMessage(error)}.`));
  }

  async #write(message: MessageEvent): Promise<void> {
    const context = this.#context;
    const signal = this.#abort.signal;
    const title = await generateTitle({
      events: [message],
      llm: context.llm,
      conversationId: titleConversationId(context.conversationId),
      signal,
      onCall: (response) => context.recordCall(response),
      onError: (error) => {
        if (signal.aborted) return;
        context.logger.warn(`The model could not write a title (${errorMessage(error)}); the first message, cut, is the title.`);
        context.reportFailure(error);
      },
    });
    if (context.title() === undefined) await context.apply(title);
  }

  /** Closing: a call in flight is aborted and the title is the message, cut; resolves once it is saved. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#writing;
  }
}
