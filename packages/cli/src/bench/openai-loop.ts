import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { CONVERSATION_ID_HEADER, executePeerTool, FINISH_TOOL } from './peers/peer-tools.js';

export interface OpenAILoopOptions {
  client: OpenAI;
  model: string;
  systemPrompt: string;
  userMessage: string;
  tools: ChatCompletionTool[];
  conversationId: string;
  /** Gives up (not finished) after this many model calls. */
  maxModelCalls: number;
}

export interface OpenAILoopOutcome {
  modelCalls: number;
  finished: boolean;
}

/**
 * A hand-written agent loop on the bare `openai` client: call the model, run its tool calls, append
 * their results, until it calls `finish`. No events, state, validation or threads: the floor the
 * runtime is compared to (overhead scenario) and the plain peer of the peers scenario.
 */
export async function openAILoop(options: OpenAILoopOptions): Promise<OpenAILoopOutcome> {
  const { client, model, tools } = options;
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: options.systemPrompt },
    { role: 'user', content: options.userMessage },
  ];
  const requestOptions = { headers: { [CONVERSATION_ID_HEADER]: options.conversationId } };
  for (let modelCalls = 1; modelCalls <= options.maxModelCalls; modelCalls++) {
    const completion = await client.chat.completions.create({ model, messages, tools }, requestOptions);
    const message = completion.choices[0]!.message;
    messages.push(message);
    const calls = (message.tool_calls ?? []).flatMap((call) => (call.type === 'function' ? [call] : []));
    if (calls.length === 0) return { modelCalls, finished: false };
    let finished = false;
    for (const call of calls) {
      const output = executePeerTool(call.function.name, JSON.parse(call.function.arguments) as Record<string, unknown>);
      messages.push({ role: 'tool', tool_call_id: call.id, content: output });
      if (call.function.name === FINISH_TOOL) finished = true;
    }
    if (finished) return { modelCalls, finished };
  }
  return { modelCalls: options.maxModelCalls, finished: false };
}
