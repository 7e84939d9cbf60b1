import type { MockUsageReport } from '@troupe/core/testing';
import type { PeerResult } from './peer-task.js';

export interface PeerRunExpectation {
  conversations: number;
  warmupConversations: number;
  /** Model calls every conversation makes (the script's turns). */
  modelCallsPerConversation: number;
}

const SHOWN_IDS = 3;

/**
 * What is wrong with a runner's run (empty: every conversation did the whole script), from the
 * runner's own counts and the mock's: a runner that skipped, failed or retried calls cannot pass.
 */
export function peerRunProblems(result: PeerResult, usage: MockUsageReport, expected: PeerRunExpectation): string[] {
  const calls = expected.modelCallsPerConversation;
  const problems: string[] = [];
  if (result.conversations !== expected.conversations) problems.push(`ran ${result.conversations} conversations, expected ${expected.conversations}`);
  if (result.finished !== result.conversations) problems.push(`${result.conversations - result.finished} of ${result.conversations} conversations did not call finish`);
  if (result.modelCalls !== null && (result.modelCalls.min !== calls || result.modelCalls.max !== calls)) {
    problems.push(`counted ${result.modelCalls.min}..${result.modelCalls.max} model calls per conversation, expected ${calls}`);
  }
  const answered = (expected.conversations + expected.warmupConversations) * calls;
  if (usage.total.requests !== answered) problems.push(`the mock answered ${usage.total.requests} model requests, expected ${answered}`);
  if (result.conversationIds.length > 0) {
    const wrong = result.conversationIds.filter((id) => usage.conversations[id]?.requests !== calls);
    if (wrong.length > 0) {
      const shown = wrong.slice(0, SHOWN_IDS).map((id) => `${id}: ${usage.conversations[id]?.requests ?? 0}`);
      problems.push(`${wrong.length} conversations did not make ${calls} model requests at the mock (${shown.join(', ')}${wrong.length > SHOWN_IDS ? ', …' : ''})`);
    }
  }
  return problems;
}
