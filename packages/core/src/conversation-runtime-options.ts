import type { AgentConfig } from './agent-config.js';
import type { ConfirmationPolicyInput } from './confirmation-policy.js';
import type { ForkSeed } from './conversation-fork.js';
import type { ConversationSnapshot } from './conversation-snapshot.js';
import type { ConversationStore, Durability } from './conversation-store.js';
import type { Event } from './events.js';
import type { HookConfig, HookConfigInput } from './hook-config.js';
import type { LanguageModel } from './language-model.js';
import type { Logger } from './logger.js';
import type { StuckDetectionInput } from './stuck-detector.js';
import type { ToolDefinition } from './tool.js';
import type { WorkspaceContext } from './workspace-context.js';

export const DEFAULT_MAX_ITERATIONS = 500;

export interface ConversationRuntimeOptions {
  id?: string;
  agent: AgentConfig;
  /** The model to call (an `LLM` built from `agent.llm`, or a scripted model in tests). */
  llm: LanguageModel;
  /** The model that writes condensation summaries (the agent's condenser); default: `llm`, its calls counted under the condenser's usage id. */
  condenserLlm?: LanguageModel;
  /** The workspace's instructions and skills (`loadWorkspaceContext`); without it only the agent context's skills are used. */
  workspaceContext?: WorkspaceContext;
  /** The agent's tools, already made for this conversation; `finish` and `think` are added. */
  tools: readonly ToolDefinition[];
  workspace: string;
  maxIterationsPerRun?: number;
  stuckDetection?: StuckDetectionInput;
  confirmationPolicy?: ConfirmationPolicyInput;
  /** Stop with an error once the conversation has cost this many USD. */
  maxCost?: number;
  secrets?: Record<string, string>;
  /** Values to mask wherever they appear (API keys): like secrets, but not offered to the agent. */
  maskedValues?: readonly string[];
  /**
   * Shell hooks per event (PreToolUse, PostToolUse, UserPromptSubmit, SessionStart, SessionEnd,
   * Stop), in OpenHands' shape. A resumed conversation keeps its stored hooks unless given new ones.
   */
  hookConfig?: HookConfigInput | HookConfig;
  title?: string;
  /**
   * Title the conversation from its first user message when it has none: `true` (default) that
   * message, cut, at once; `'model'` the agent's model writes it in the background (the message,
   * cut, if the call fails; a title set meanwhile is kept), as OpenHands' server does; `false` none.
   */
  autoTitle?: boolean | 'model';
  store?: ConversationStore;
  durability?: Durability;
  /** Every event, in order, including the live-only streaming deltas (`seq` null). */
  onEvent?: (event: Event, seq: number | null) => void;
  logger?: Logger;
  /** A conversation loaded from disk: its events and stored snapshot. */
  restored?: { events: Event[]; snapshot: ConversationSnapshot };
  /** The conversation whose delegate tool started this one (kept in the snapshot). */
  parentConversationId?: string;
  /** A new conversation forked from another: it starts from a copy of that one's events (see `ForkSeed`). */
  forkOf?: ForkSeed;
}

export interface MessageAck {
  /** The id of the MessageEvent the message becomes. */
  id: string;
  /** True when the agent was busy: the message waits for the next step boundary. */
  queued: boolean;
}
