import { textContent } from './content.js';
import { errorMessage } from './errors.js';
import type { EventJournal } from './event-journal.js';
import type { ActionEvent, ObservationEvent } from './events.js';
import { type HookConfig, isEmptyHookConfig } from './hook-config.js';
import { additionalContextOf, blockingReason, type HookResult, interpretHookRun, STOP_HOOK_FEEDBACK_PREFIX, stopFeedback, stopsOnBlock } from './hook-decision.js';
import type { HookEventType } from './hook-execution-event.js';
import { hooksFor } from './hook-matcher.js';
import { runHookProcess } from './hook-process.js';
import { inheritedEnvironment, isValidVariableName } from './inherited-environment.js';
import type { Logger } from './logger.js';
import type { SecretRegistry } from './secret-registry.js';

/** Characters of a hook's output kept in its event; hooks may print anything, and the log is kept forever. */
export const MAX_HOOK_LOG_CHARS = 50_000;
const TRUNCATED = '\n[output truncated]';

function truncated(text: string): string {
  return text.length <= MAX_HOOK_LOG_CHARS ? text : text.slice(0, MAX_HOOK_LOG_CHARS - TRUNCATED.length) + TRUNCATED;
}

export interface ConversationHooksOptions {
  config: HookConfig;
  conversationId: string;
  workspace: string;
  /** The conversation's secrets: in each hook's environment, masked out of what is recorded. */
  secrets: SecretRegistry;
  journal: EventJournal;
  logger: Logger;
}

/** What a hook is told about an event (on its stdin, as JSON). */
interface HookSubject {
  toolName?: string;
  toolInput?: Record<string, unknown>;
  toolResponse?: Record<string, unknown>;
  message?: string;
  metadata?: Record<string, unknown>;
  actionId?: string;
  messageId?: string;
  /** What the event records as the hook's input. */
  recordedInput?: Record<string, unknown>;
}

/**
 * A conversation's hooks, applied: for an event, the hooks its configuration selects run one
 * after the other in the workspace (JSON of the event on stdin, the conversation's secrets in the
 * environment, each within its timeout); each run is a `HookExecutionEvent` in the log; what they
 * decide is returned to the runtime, which applies it. A failing hook is logged, never fatal.
 */
export class ConversationHooks {
  readonly #options: ConversationHooksOptions;

  private constructor(options: ConversationHooksOptions) {
    this.#options = options;
  }

  /** The hooks of a conversation; undefined when it has none. */
  static of(options: Omit<ConversationHooksOptions, 'config'> & { config: HookConfig | undefined }): ConversationHooks | undefined {
    const { config } = options;
    return config && !isEmptyHookConfig(config) ? new ConversationHooks({ ...options, config }) : undefined;
  }

  /** Before an action runs: the reason when a hook blocks it. An interrupt (`signal`) kills a running hook. */
  async beforeAction(action: ActionEvent, signal?: AbortSignal): Promise<string | undefined> {
    const toolInput = action.action ?? {};
    const results = await this.#run('PreToolUse', {
      toolName: action.tool_name,
      toolInput,
      actionId: action.id,
      recordedInput: { tool_name: action.tool_name, tool_input: toolInput },
    }, signal);
    return blockingReason(results);
  }

  /** After an action's observation (the context the hooks add is in their events, which the model's view reads). */
  async afterAction(action: ActionEvent, result: ObservationEvent, signal?: AbortSignal): Promise<void> {
    const toolInput = action.action ?? {};
    await this.#run('PostToolUse', {
      toolName: action.tool_name,
      toolInput,
      toolResponse: result.observation,
      actionId: action.id,
      recordedInput: { tool_name: action.tool_name, tool_input: toolInput, tool_response: result.observation },
    }, signal);
  }

  /** Before a user message reaches the log: whether a hook blocks it, and the context they add. */
  async beforeMessage(messageId: string, text: string): Promise<{ blockedReason?: string; additionalContext?: string }> {
    const results = await this.#run('UserPromptSubmit', { message: text, messageId, recordedInput: { message: text } });
    const blockedReason = blockingReason(results);
    const additionalContext = additionalContextOf(results);
    return { ...(blockedReason === undefined ? {} : { blockedReason }), ...(additionalContext === undefined ? {} : { additionalContext }) };
  }

  /** The agent finished its turn: true when a Stop hook sends it on, its feedback added to the log as a message to the model. */
  async beforeStop(): Promise<boolean> {
    const reason = 'agent_finished';
    const feedback = stopFeedback(await this.#run('Stop', { metadata: { reason }, recordedInput: { reason } }));
    if (feedback === undefined) return false;
    this.#options.journal.append({
      kind: 'MessageEvent',
      source: 'environment',
      llm_message: { role: 'user', content: [textContent(`${STOP_HOOK_FEEDBACK_PREFIX} ${feedback}`)] },
      activated_skills: [],
      extended_content: [],
    });
    return true;
  }

  async sessionStart(): Promise<void> {
    await this.#run('SessionStart', {});
  }

  async sessionEnd(): Promise<void> {
    await this.#run('SessionEnd', {});
  }

  async #run(event: HookEventType, subject: HookSubject, signal?: AbortSignal): Promise<HookResult[]> {
    const { config, workspace, conversationId, journal, logger } = this.#options;
    const hooks = hooksFor(config, event, subject.toolName);
    const results: HookResult[] = [];
    if (hooks.length === 0) return results;
    const input = JSON.stringify({
      event_type: event,
      tool_name: subject.toolName ?? null,
      tool_input: subject.toolInput ?? null,
      tool_response: subject.toolResponse ?? null,
      message: subject.message ?? null,
      session_id: conversationId,
      conversation_id: conversationId,
      working_dir: workspace,
      metadata: subject.metadata ?? {},
    });
    const env = this.#environment(event, subject.toolName);
    for (const hook of hooks) {
      let result: HookResult;
      try {
        result = interpretHookRun(await runHookProcess({ command: hook.command, cwd: workspace, env, input, timeoutSeconds: hook.timeout, ...(signal ? { signal } : {}) }));
      } catch (error) {
        result = { success: false, blocked: false, exitCode: -1, stdout: '', stderr: '', error: `Hook execution failed: ${errorMessage(error)}` };
      }
      results.push(result);
      journal.append({
        kind: 'HookExecutionEvent',
        source: 'hook',
        hook_event_type: event,
        hook_command: hook.command,
        tool_name: subject.toolName ?? null,
        success: result.success,
        blocked: result.blocked,
        exit_code: result.exitCode,
        stdout: truncated(result.stdout),
        stderr: truncated(result.stderr),
        reason: result.reason === undefined ? null : truncated(result.reason),
        additional_context: result.additionalContext === undefined ? null : truncated(result.additionalContext),
        error: result.error ?? null,
        action_id: subject.actionId ?? null,
        message_id: subject.messageId ?? null,
        hook_input: subject.recordedInput ?? null,
      });
      if (result.error) logger.warn(`${event} hook failed: ${result.error}`, { command: hook.command });
      if ((result.blocked && stopsOnBlock(event)) || signal?.aborted) break;
    }
    return results;
  }

  /** The terminal's allow-list of the server's environment, the event's OpenHands variables and the secrets. */
  #environment(event: HookEventType, toolName: string | undefined): Record<string, string> {
    const { workspace, conversationId, secrets } = this.#options;
    const secretVariables = Object.fromEntries(Object.entries(secrets.values()).filter(([name]) => isValidVariableName(name)));
    return {
      ...inheritedEnvironment(process.env),
      ...secretVariables,
      OPENHANDS_PROJECT_DIR: workspace,
      OPENHANDS_SESSION_ID: conversationId,
      OPENHANDS_EVENT_TYPE: event,
      ...(toolName === undefined ? {} : { OPENHANDS_TOOL_NAME: toolName }),
    };
  }
}
