import type { Event } from './events.js';
import type { HookEventType } from './hook-execution-event.js';

/**
 * What one hook run said, decided from its exit and output alone (Claude Code's hook contract, as
 * OpenHands reads it): exit 0 is success and its stdout may hold a JSON decision; exit 2 blocks;
 * any other exit, a timeout or a failure to start is an error that is logged and never blocks.
 */
export interface HookRun {
  /** Null when the process did not exit by itself (killed, or never started). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why the process could not be started or was killed (other than the timeout). */
  failure?: string;
  timeoutSeconds: number;
}

export interface HookResult {
  success: boolean;
  blocked: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
  decision?: 'allow' | 'deny';
  reason?: string;
  additionalContext?: string;
  error?: string;
}

/** The fields of a JSON decision on stdout. */
interface StdoutDecision {
  decision?: 'allow' | 'deny';
  reason?: string;
  additionalContext?: string;
  blocks: boolean;
}

function stdoutDecision(stdout: string): StdoutDecision {
  if (stdout.trim() === '') return { blocks: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    // Plain text output is fine: it is recorded as it is.
    return { blocks: false };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { blocks: false };
  const output = parsed as Record<string, unknown>;
  const decisionText = typeof output.decision === 'string' ? output.decision.toLowerCase() : undefined;
  const decision = decisionText === 'allow' || decisionText === 'deny' ? decisionText : undefined;
  return {
    ...(decision ? { decision } : {}),
    ...(output.reason === undefined || output.reason === null ? {} : { reason: String(output.reason) }),
    ...(output.additionalContext === undefined || output.additionalContext === null ? {} : { additionalContext: String(output.additionalContext) }),
    blocks: decision === 'deny' || ('continue' in output && !output.continue),
  };
}

/** Interprets a finished hook process. */
export function interpretHookRun(run: HookRun): HookResult {
  if (run.timedOut) {
    return { success: false, blocked: false, exitCode: -1, stdout: run.stdout, stderr: run.stderr, error: `Hook timed out after ${run.timeoutSeconds} seconds; its processes were killed.` };
  }
  if (run.exitCode === null) {
    return { success: false, blocked: false, exitCode: -1, stdout: run.stdout, stderr: run.stderr, error: run.failure ?? 'Hook did not exit by itself.' };
  }
  const { blocks, ...decided } = stdoutDecision(run.stdout);
  return {
    success: run.exitCode === 0,
    blocked: run.exitCode === 2 || blocks,
    exitCode: run.exitCode,
    stdout: run.stdout,
    stderr: run.stderr,
    ...decided,
    ...(run.exitCode !== 0 && run.exitCode !== 2 ? { error: `Hook exited with code ${run.exitCode} (only exit code 2 blocks).` } : {}),
  };
}

export const DEFAULT_BLOCK_REASON = 'Blocked by hook';

/** Why the first blocking result blocked: its reason, else its stderr, else a default. Undefined when none blocked. */
export function blockingReason(results: readonly HookResult[]): string | undefined {
  const blocker = results.find((result) => result.blocked);
  if (!blocker) return undefined;
  return blocker.reason || blocker.stderr.trim() || DEFAULT_BLOCK_REASON;
}

/** The extra context the hooks gave, joined; undefined when none did. */
export function additionalContextOf(results: readonly HookResult[]): string | undefined {
  const parts = results.flatMap((result) => (result.additionalContext ? [result.additionalContext] : []));
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** What a Stop hook that blocked tells the agent: the context it gave, else its reason. Undefined when the agent may stop. */
export function stopFeedback(results: readonly HookResult[]): string | undefined {
  const reason = blockingReason(results);
  if (reason === undefined) return undefined;
  return additionalContextOf(results) ?? reason;
}

/** Prefix of the message a blocking Stop hook sends the agent. */
export const STOP_HOOK_FEEDBACK_PREFIX = '[Stop hook feedback]';

/** Events whose hooks stop at the first that blocks (the others run every hook). */
export function stopsOnBlock(event: HookEventType): boolean {
  return event === 'PreToolUse' || event === 'UserPromptSubmit' || event === 'Stop';
}

/** Whether the newest user message is one a hook blocked: then there is nothing for the model to answer. */
export function lastUserMessageBlocked(events: readonly Event[], blockedMessages: ReadonlySet<string>): boolean {
  if (blockedMessages.size === 0) return false;
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.kind === 'MessageEvent' && event.source === 'user') return blockedMessages.has(event.id);
  }
  return false;
}
