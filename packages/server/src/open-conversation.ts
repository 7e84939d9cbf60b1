import type { Agent, ConversationStatus, Logger } from '@troupe/core';
import { errorMessage } from '@troupe/core';
import type { Conversation } from '@troupe/workers';
import type { ConversationMetadata } from './conversation-metadata.js';
import type { IdleClock } from './idle-release.js';

/** A conversation open in this server: its handle, what the server keeps beside it, and the run it started. */
export interface OpenConversation {
  readonly handle: Conversation;
  /** What the server stores beside the conversation (tags, analyzer, OpenHands fields kept as sent); every other setting is read from the handle's state. */
  metadata: ConversationMetadata;
  /** What only memory holds (never stored), to reopen the conversation with after an idle release. */
  readonly retained: RetainedOptions;
  run: Promise<ConversationStatus> | null;
  /** A run asked for while one was ending: it starts once that one has (the request may carry a new message); resolves with its end. */
  rerun: Promise<ConversationStatus> | null;
  /** Releases it once idle (no run, request or event socket using it). */
  readonly idle: IdleClock;
}

/** How a run request went (see `ConversationService.run`). */
export type RunStart = 'already_running' | { ended: ConversationStatus } | { runningFrom: number };

/** The agent as the client gave it (with its API key) and the secret values. */
export interface RetainedOptions {
  agent?: Agent;
  secrets: Record<string, string>;
}

/**
 * Starts a run, or (when one is ending) another right after it; resolves with the status the
 * requested run ends in. `ended` is told after each run (every event of it has reached the handle).
 */
export function startRun(conversation: OpenConversation, ended: () => void, logger: Logger): Promise<ConversationStatus> {
  if (conversation.run) {
    // The actor may already have ended that run (its reply is on the way): run again after it.
    conversation.rerun ??= conversation.run.then(() => conversation.run ?? conversation.handle.status);
    return conversation.rerun;
  }
  const { handle } = conversation;
  const run = handle
    .run()
    .catch((error: unknown) => {
      logger.warn(`Run of conversation ${handle.id} failed: ${errorMessage(error)}`);
      return handle.status;
    })
    .finally(() => {
      conversation.run = null;
      conversation.idle.recheck();
      ended();
      if (conversation.rerun) {
        conversation.rerun = null;
        void startRun(conversation, ended, logger);
      }
    });
  conversation.run = run;
  return run;
}

/** Resolves once the run `start` begins has started (`runningFrom`: where its last status change will be) or already ended. */
export function runStarted(conversation: OpenConversation, start: () => Promise<ConversationStatus>): Promise<RunStart> {
  const { handle } = conversation;
  return new Promise<RunStart>((resolve) => {
    const onStatus = (status: ConversationStatus) => {
      if (status !== 'running') return;
      handle.off('status', onStatus);
      resolve({ runningFrom: handle.state.eventCount });
    };
    handle.on('status', onStatus);
    void start().then((status) => {
      handle.off('status', onStatus);
      resolve({ ended: status });
    });
  });
}
