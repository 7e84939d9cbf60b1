import { Agent, OpenAIChatCompletionsModel, run, setTracingDisabled, tool } from '@openai/agents';
import OpenAI from 'openai';
import type { PeerRunnerFactory } from './peer-runner.js';
import { executePeerTool, FINISH_TOOL } from './peer-tools.js';

/** What one run records through its context: whether the `finish` tool ran. */
interface RunRecord {
  finished: boolean;
}

/**
 * OpenAI Agents JS: `run(agent, input)` over the chat completions model, stopping at `finish`.
 * Tracing is off: it would export to OpenAI's servers, which no other runner does. Its chat model
 * sends fixed headers only, so the mock sees no conversation id (its default script serves it).
 */
export const createRunner: PeerRunnerFactory = async (task) => {
  setTracingDisabled(true);
  const client = new OpenAI({ apiKey: 'bench', baseURL: task.baseUrl, maxRetries: 0 });
  const tools = task.tools.map(({ function: spec }) =>
    tool({
      name: spec.name,
      description: spec.description ?? '',
      // The JSON schema Troupe sends (its type is not exported by the package).
      parameters: spec.parameters as never,
      strict: false,
      execute: (args, context) => {
        if (spec.name === FINISH_TOOL) (context!.context as RunRecord).finished = true;
        return executePeerTool(spec.name, args as Record<string, unknown>);
      },
    }),
  );
  const agent = new Agent<RunRecord>({
    name: 'bench',
    instructions: task.systemPrompt,
    model: new OpenAIChatCompletionsModel(client, task.model),
    tools,
    toolUseBehavior: { stopAtToolNames: [FINISH_TOOL] },
  });
  const conversation = async () => {
    const record: RunRecord = { finished: false };
    const result = await run(agent, task.userMessage, { context: record, maxTurns: task.maxModelCalls });
    return { id: null, finished: record.finished, modelCalls: result.rawResponses.length };
  };
  return {
    async run(count, _idPrefix, clock) {
      clock.start();
      const outcomes = await Promise.all(Array.from({ length: count }, conversation));
      clock.stop();
      return outcomes;
    },
    close: async () => undefined,
  };
};
