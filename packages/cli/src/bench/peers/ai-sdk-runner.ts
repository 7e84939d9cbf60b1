import { createOpenAI } from '@ai-sdk/openai';
import { generateText, hasToolCall, jsonSchema, stepCountIs, tool, type ToolSet } from 'ai';
import { conversationIds, type PeerRunnerFactory } from './peer-runner.js';
import { CONVERSATION_ID_HEADER, executePeerTool, FINISH_TOOL } from './peer-tools.js';

/** The Vercel AI SDK: `generateText` over the chat completions model, its step loop until `finish`. */
export const createRunner: PeerRunnerFactory = async (task) => {
  const model = createOpenAI({ baseURL: task.baseUrl, apiKey: 'bench' }).chat(task.model);
  const tools: ToolSet = Object.fromEntries(
    task.tools.map(({ function: spec }) => [
      spec.name,
      tool({
        description: spec.description,
        inputSchema: jsonSchema<Record<string, unknown>>(spec.parameters),
        execute: async (args) => executePeerTool(spec.name, args),
      }),
    ]),
  );
  const conversation = async (id: string) => {
    const result = await generateText({
      model,
      system: task.systemPrompt,
      prompt: task.userMessage,
      tools,
      stopWhen: [hasToolCall(FINISH_TOOL), stepCountIs(task.maxModelCalls)],
      maxRetries: 0,
      headers: { [CONVERSATION_ID_HEADER]: id },
    });
    const finished = result.steps.at(-1)?.toolCalls.some((call) => call.toolName === FINISH_TOOL) ?? false;
    return { id, finished, modelCalls: result.steps.length };
  };
  return {
    async run(count, idPrefix, clock) {
      clock.start();
      const outcomes = await Promise.all(conversationIds(count, idPrefix).map(conversation));
      clock.stop();
      return outcomes;
    },
    close: async () => undefined,
  };
};
