import { extendUserMessage, type Skill } from './agent-context.js';
import { contentText, type Message, textContent } from './content.js';
import type { ConversationHooks } from './conversation-hooks.js';
import type { EventJournal } from './event-journal.js';
import type { MessageEvent } from './events.js';
import { lastUserMessageBlocked } from './hook-decision.js';
import type { Logger } from './logger.js';
import type { ModelAutoTitle } from './model-auto-title.js';
import { randomId } from './random-id.js';
import type { RuntimeState } from './runtime-state.js';

export interface UserMessageIntakeContext {
  journal: EventJournal;
  state: RuntimeState;
  /** Set when the model writes the title (`autoTitle: 'model'`). */
  modelTitle: ModelAutoTitle | undefined;
  hooks: ConversationHooks | undefined;
  knowledgeSkills: readonly Skill[];
  userMessageSuffix: string | undefined;
  logger: Logger;
}

/**
 * How user messages enter the log: through the UserPromptSubmit hooks (one that blocks a message
 * keeps it from the model), with the knowledge of the skills it activates (once per conversation)
 * and the user-message suffix; and the session's hooks around them (SessionStart once, Stop when
 * the agent ends its turn).
 */
export class UserMessageIntake {
  readonly #context: UserMessageIntakeContext;
  #sessionStarted = false;

  constructor(context: UserMessageIntakeContext) {
    this.#context = context;
  }

  get sessionStarted(): boolean {
    return this.#sessionStarted;
  }

  async append(message: Message, sender: string | undefined, id: string = randomId()): Promise<MessageEvent> {
    const { journal, state, hooks, logger } = this.#context;
    const verdict = hooks ? await hooks.beforeMessage(id, contentText(message.content)) : {};
    const skills = { skills: this.#context.knowledgeSkills, userMessageSuffix: this.#context.userMessageSuffix };
    const extension = verdict.blockedReason === undefined ? extendUserMessage(message, skills, new Set(state.activatedKnowledgeSkills)) : undefined;
    const extended = [...(extension ? [extension.content] : []), ...(verdict.additionalContext === undefined ? [] : [textContent(verdict.additionalContext)])];
    const event = journal.append(
      { kind: 'MessageEvent', source: 'user', llm_message: message, activated_skills: extension?.activatedSkills ?? [], extended_content: extended, ...(sender ? { sender } : {}) },
      id,
    ) as MessageEvent;
    if (verdict.blockedReason === undefined) {
      state.titleFrom(event);
      this.#context.modelTitle?.consider(event);
      if (extension) state.activateSkills(extension.activatedSkills);
    } else {
      state.blockMessage(event.id, verdict.blockedReason);
      logger.info(`A UserPromptSubmit hook blocked message ${event.id}: ${verdict.blockedReason}`);
    }
    return event;
  }

  /** Admits queued messages at a step boundary; returns how many. */
  async admitQueued(): Promise<number> {
    const queued = this.#context.state.takeQueued();
    for (const item of queued) await this.append(item.message, item.sender, item.id);
    return queued.length;
  }

  /** Runs the SessionStart hooks once, at the runtime's first message or run. */
  async startSession(): Promise<void> {
    if (this.#sessionStarted || !this.#context.hooks) return;
    this.#sessionStarted = true;
    await this.#context.hooks.sessionStart();
  }

  /**
   * The agent ended its turn: the Stop hooks may send it on with feedback (a message to the model).
   * A turn ended by a blocked message is not the agent stopping: no Stop hook runs.
   */
  async stopBlocked(): Promise<boolean> {
    const { hooks, journal, state } = this.#context;
    if (!hooks || lastUserMessageBlocked(journal.events, state.blockedMessageIds)) return false;
    return hooks.beforeStop();
  }
}
