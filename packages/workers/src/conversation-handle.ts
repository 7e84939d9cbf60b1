import type {
  HookConfig,
  HookConfigInput,
  AgentConfig,
  LLM,
  ConfirmationPolicyInput,
  ConversationSnapshot,
  ConversationStats,
  ConversationStatus,
  Event,
  EventFilter,
  EventPage,
  EventSearchSchema,
  MessageAck,
  PluginSource,
  StreamingDeltaEvent,
  StuckDetectionInput,
  ToolDefinition,
  UserMessageInput,
} from '@troupe/core';
import type { z } from 'zod';
import type { EventStreamOptions } from './event-stream.js';

export type ConversationCallback = (event: Event) => void | Promise<void>;

/**
 * What a handle shows of its conversation, synchronously: the last snapshot the conversation sent
 * (stats as totals; `snapshot()` has the per-call lists), plus where it runs. Before the
 * conversation has reported, agent and workspace may be unknown (a resume without an agent).
 */
export type ConversationState = Omit<ConversationSnapshot, 'agent' | 'workspace'> &
  Partial<Pick<ConversationSnapshot, 'agent' | 'workspace'>> & {
    /** The caller's `persistenceDir` the conversation is stored in (`persistenceDir/<id>` holds it); absent otherwise. */
    persistenceDir?: string;
    /** The worker thread it runs on (local conversations). */
    threadId?: number;
  };

export interface ConversationEvents {
  event: (event: Event, seq: number | null) => void;
  status: (status: ConversationStatus) => void;
  /** A streamed piece of the model's reply (only when its LLM streams); live only, not in the log. */
  delta: (event: StreamingDeltaEvent) => void;
  /** A callback threw; the run and the event are unaffected. */
  error: (error: Error, event: Event) => void;
}

/** The options a conversation takes wherever it runs (in a worker thread, or on an agent server). */
export interface ConversationHandleOptions {
  /** Required for a new conversation; on resume the stored agent is used when omitted. */
  agent?: { readonly config: AgentConfig };
  /** Where tools work. Default: the current directory (a new one is created if missing). */
  workspace?: string;
  conversationId?: string;
  /** Called for every event, in order; async callbacks are awaited in turn. */
  callbacks?: ConversationCallback[];
  maxIterationsPerRun?: number;
  stuckDetection?: StuckDetectionInput;
  confirmationPolicy?: ConfirmationPolicyInput;
  /** Stop with an error once the conversation has cost this many USD. */
  maxCost?: number;
  secrets?: Record<string, string>;
  /** Tools that run in this process; the conversation calls them. */
  clientTools?: ToolDefinition[];
  title?: string;
  /**
   * Title the conversation from its first user message when it has none: `true` (default) that
   * message, cut; `'model'` written by the agent's model in the background; `false` none. A remote
   * conversation leaves it to the server (OpenHands' `autotitle`: the model's title), or to none.
   */
  autoTitle?: boolean | 'model';
  /**
   * Shell hooks per event (PreToolUse, PostToolUse, UserPromptSubmit, SessionStart, SessionEnd,
   * Stop), in OpenHands' shape; an invalid one throws a ConfigError. Kept with the conversation:
   * a resumed one runs its stored hooks unless given new ones.
   */
  hookConfig?: HookConfigInput | HookConfig;
  /**
   * Plugin directories (OpenHands' `{ source }`; relative to the workspace) whose skills, MCP servers
   * and hooks are merged into the agent when its actor starts (see `mergePlugins`); a git source is refused.
   */
  plugins?: PluginSource[];
}

export type EventSearchInput = z.input<typeof EventSearchSchema>;

/** How to fork a conversation (OpenHands' fork fields). */
export interface ForkOptions {
  /** The fork's id (default: a new UUID); one in use is a `ConversationExistsError` (409 on a server). */
  conversationId?: string;
  /** Copy the events up to and including this one (default: all); an unknown id is an `EventNotFoundError` (404). */
  upToEventId?: string;
  /** The fork's agent (default: the source's). */
  agent?: { readonly config: AgentConfig };
  title?: string;
  /** Start the fork's stats from zero (default true) or from the source's. */
  resetMetrics?: boolean;
}

export interface GenerateTitleInput {
  /** The model that writes it (default: the agent's). */
  llm?: LLM;
  /** Default 50 characters. */
  maxLength?: number;
}

/**
 * The one handle contract: `Conversation` (an actor in a worker thread) and `RemoteConversation`
 * (a conversation on an agent server) both implement it, with the same signatures and semantics.
 */
export interface ConversationHandle {
  readonly id: string;
  readonly state: ConversationState;
  readonly status: ConversationStatus;
  readonly stats: ConversationStats;
  /** True when the conversation already existed (loaded from storage) rather than started anew. */
  readonly resumed: boolean;
  readonly isPersisted: boolean;
  /** Resolves once the conversation is up (calls wait for it anyway). */
  ready(): Promise<void>;
  /** The whole snapshot, per-call stats included. */
  snapshot(): Promise<ConversationSnapshot>;
  /** Adds a user message; while running it is admitted at the next step boundary and never lost. */
  sendMessage(message: UserMessageInput, options?: { sender?: string }): Promise<MessageAck>;
  /** Runs until finished, paused, waiting for confirmation, stuck or failed; a second call joins the first. */
  run(): Promise<ConversationStatus>;
  /** Stops at the next step boundary (the current model call and tools finish). Resolves when stopped. */
  pause(): Promise<void>;
  /** Aborts the model call and running tools now; the conversation becomes paused. */
  interrupt(): Promise<void>;
  /** Runs the actions waiting for confirmation. */
  approve(): Promise<ConversationStatus>;
  rejectPendingActions(reason?: string): Promise<number>;
  setConfirmationPolicy(policy: ConfirmationPolicyInput): Promise<void>;
  updateSecrets(secrets: Record<string, string>): Promise<void>;
  setTitle(title: string): Promise<void>;
  /**
   * Condenses the history now (the agent's condenser summarizes the middle of what the model sees);
   * while running, before the next model call. Refused (`ConfigError`) when the agent has no condenser.
   */
  condense(): Promise<void>;
  /** Events `from`.. of the log (at most `limit`). */
  getEvents(from?: number, limit?: number): Promise<Event[]>;
  /** One page of the events matching a query, by sequence number (state updates only when asked for: `include_state`, or their kind). */
  searchEvents(query?: EventSearchInput): Promise<EventPage>;
  countEvents(filter?: EventFilter): Promise<number>;
  /** The event with this id, or null. */
  getEvent(eventId: string): Promise<Event | null>;
  /** Events as an async iterator, from `fromIndex` (default 0: the whole history, then live). */
  stream(fromIndex?: number, options?: EventStreamOptions): AsyncIterableIterator<Event>;
  on<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this;
  once<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this;
  off<E extends keyof ConversationEvents>(event: E, listener: ConversationEvents[E]): this;
  /**
   * A new conversation with a copy of this one's events (all, or up to an event), its own id and
   * state, the same agent unless another is given; it starts idle and runs on from the copy. Its
   * snapshot names where it came from (`forkedFromConversationId`, `forkedFromEventId`).
   */
  fork(options?: ForkOptions): Promise<ConversationHandle>;
  /**
   * One model call over the conversation's context (what its next step would send) plus the
   * question; adds no event and changes no status; allowed while it runs, without touching the run.
   */
  askAgent(question: string): Promise<string>;
  /** Titles the conversation by its first user message with the model (the message, cut, if that fails); sets and returns it. */
  generateTitle(options?: GenerateTitleInput): Promise<string>;
  /** Stops using the conversation: a local one closes its actor (state flushed); a remote one stops following (it stays on the server). */
  close(): Promise<void>;
}
