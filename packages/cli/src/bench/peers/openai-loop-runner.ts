import OpenAI from 'openai';
import { openAILoop } from '../openai-loop.js';
import { conversationIds, type PeerOutcome, type PeerRunnerFactory } from './peer-runner.js';
import type { PeerTask } from './peer-task.js';

/** The client a hand-written loop would make: the `openai` defaults (global fetch), no retries so an error shows. */
export function loopClient(task: PeerTask): OpenAI {
  return new OpenAI({ apiKey: 'bench', baseURL: task.baseUrl, maxRetries: 0 });
}

/** Runs one hand-written loop per id, all at once on this thread. */
export function loopConversations(client: OpenAI, task: PeerTask, ids: readonly string[]): Promise<PeerOutcome[]> {
  return Promise.all(
    ids.map(async (id) => {
      const outcome = await openAILoop({
        client,
        model: task.model,
        systemPrompt: task.systemPrompt,
        userMessage: task.userMessage,
        tools: task.tools,
        conversationId: id,
        maxModelCalls: task.maxModelCalls,
      });
      return { id, ...outcome };
    }),
  );
}

/** The hand-written `openai` loop, every conversation on the main thread. */
export const createRunner: PeerRunnerFactory = async (task) => {
  const client = loopClient(task);
  return {
    async run(count, idPrefix, clock) {
      clock.start();
      const outcomes = await loopConversations(client, task, conversationIds(count, idPrefix));
      clock.stop();
      return outcomes;
    },
    close: async () => undefined,
  };
};
