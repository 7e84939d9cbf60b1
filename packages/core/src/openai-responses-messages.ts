import { type Content, contentText, type Message, type ReasoningItem } from './content.js';
import type { ModelTool } from './language-model.js';
import type { LLMConfig } from './llm-config.js';
import type { ModelCapabilities } from './model-capabilities.js';

/**
 * The OpenAI Responses API request of a model call, from Troupe's provider-neutral messages. Pure.
 * - system messages become `instructions`;
 * - an assistant turn is its reasoning item (sent back as it came, encrypted content included, so
 *   the model keeps its reasoning across tool calls), its text, then a `function_call` per call;
 * - a tool result is a `function_call_output` with its text and images;
 * - requests are stateless (`store: false`): every item goes back each time, reasoning included.
 */

type InputContent = { type: 'input_text'; text: string } | { type: 'input_image'; image_url: string; detail: 'auto' };

export type ResponsesInputItem =
  | { role: 'user'; content: InputContent[] }
  | { role: 'assistant'; content: string }
  | { type: 'reasoning'; id: string; summary: Array<{ type: 'summary_text'; text: string }>; encrypted_content?: string; content?: Array<{ type: 'reasoning_text'; text: string }> }
  | { type: 'function_call'; call_id: string; name: string; arguments: string }
  | { type: 'function_call_output'; call_id: string; output: InputContent[] };

export interface ResponsesRequestParams {
  model: string;
  input: ResponsesInputItem[];
  instructions?: string;
  tools?: Array<{ type: 'function'; name: string; description: string; parameters: Record<string, unknown>; strict: false }>;
  store: false;
  include?: ['reasoning.encrypted_content'];
  reasoning?: { effort: string };
  temperature?: number;
  top_p?: number;
  max_output_tokens?: number;
}

export function toResponsesRequest(
  messages: readonly Message[],
  tools: readonly ModelTool[],
  model: string,
  config: LLMConfig,
  capabilities: ModelCapabilities | undefined,
): ResponsesRequestParams {
  const instructions = messages
    .filter((message) => message.role === 'system')
    .map((message) => contentText(message.content))
    .join('\n\n');
  const reasons = config.reasoningEffort !== undefined || capabilities?.reasoning === 'effort';
  return {
    model,
    input: messages.flatMap(toItems),
    ...(instructions === '' ? {} : { instructions }),
    ...(tools.length > 0 ? { tools: tools.map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.parameters, strict: false as const })) } : {}),
    store: false,
    ...(reasons ? { include: ['reasoning.encrypted_content'] as ['reasoning.encrypted_content'] } : {}),
    ...(config.reasoningEffort === undefined ? {} : { reasoning: { effort: config.reasoningEffort } }),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
    ...(config.topP === undefined ? {} : { top_p: config.topP }),
    ...(config.maxOutputTokens === undefined ? {} : { max_output_tokens: config.maxOutputTokens }),
  };
}

function toItems(message: Message): ResponsesInputItem[] {
  switch (message.role) {
    case 'system':
      return [];
    case 'user':
      return [{ role: 'user', content: inputContent(message.content) }];
    case 'assistant': {
      const text = contentText(message.content);
      return [
        ...(message.responses_reasoning_item ? [reasoningItem(message.responses_reasoning_item)] : []),
        ...(text === '' ? [] : [{ role: 'assistant' as const, content: text }]),
        ...(message.tool_calls ?? []).map((call) => ({ type: 'function_call' as const, call_id: call.id, name: call.name, arguments: call.arguments })),
      ];
    }
    case 'tool':
      return [{ type: 'function_call_output', call_id: message.tool_call_id ?? '', output: inputContent(message.content) }];
  }
}

function reasoningItem(item: ReasoningItem): ResponsesInputItem {
  return {
    type: 'reasoning',
    id: item.id ?? '',
    summary: item.summary.map((text) => ({ type: 'summary_text', text })),
    ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
    ...(item.content ? { content: item.content.map((text) => ({ type: 'reasoning_text' as const, text })) } : {}),
  };
}

function inputContent(content: readonly Content[]): InputContent[] {
  return content.flatMap((part): InputContent[] =>
    part.type === 'text' ? [{ type: 'input_text', text: part.text }] : part.image_urls.map((url) => ({ type: 'input_image', image_url: url, detail: 'auto' })),
  );
}
