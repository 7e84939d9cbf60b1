import { createConsoleLogger, errorMessage, type Event, type EventPage, type EventSearch, firstUserMessageText, generateTitle, LLM, type LLMConfig } from '@troupe/core';
import type { GenerateTitleInput } from '@troupe/workers';

const logger = createConsoleLogger({ prefix: 'remote conversation title' });

/** What a remote title needs of its handle. */
export interface TitledRemote {
  readonly id: string;
  searchEvents(query: Partial<EventSearch>): Promise<EventPage>;
  /** The agent's LLM config as this process knows it (with its key when the handle was given the agent). */
  readonly agentLLM: LLMConfig | undefined;
}

/**
 * A title for a conversation on a server, written in this process as OpenHands' remote
 * conversation does (the server has no title route): by `llm`, or the agent's model when this
 * process can call it, from the first user message; that message, cut, when the call fails.
 */
export async function remoteTitle(remote: TitledRemote, options: GenerateTitleInput): Promise<string> {
  const events: Event[] = [];
  let pageId: string | null | undefined;
  do {
    const page = await remote.searchEvents({ kind: 'MessageEvent', source: 'user', ...(pageId ? { page_id: pageId } : {}) });
    events.push(...page.items);
    pageId = page.next_page_id;
  } while (pageId && firstUserMessageText(events) === undefined);
  const llm = options.llm ?? callableModel(remote.agentLLM);
  return generateTitle({
    events,
    ...(llm ? { llm } : {}),
    ...(options.maxLength === undefined ? {} : { maxLength: options.maxLength }),
    conversationId: remote.id,
    onError: (error) => logger.warn(`The model could not write a title for ${remote.id} (${errorMessage(error)}); the first message, cut, is the title.`),
  });
}

/** An LLM of the config, or none when this process cannot make one (no key here, say). */
function callableModel(config: LLMConfig | undefined): LLM | undefined {
  if (!config) return undefined;
  try {
    return new LLM(config);
  } catch (error) {
    logger.warn(`The agent's model cannot be called from here (${errorMessage(error)}); the title is the first message, cut.`);
    return undefined;
  }
}
