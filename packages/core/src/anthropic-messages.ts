import { type AnyThinkingBlock, type Content, contentText, type Message } from './content.js';
import { ERROR_OBSERVATION_HEADER } from './events-to-messages.js';
import type { ModelTool } from './language-model.js';
import type { LLMConfig } from './llm-config.js';
import type { ModelCapabilities } from './model-capabilities.js';

/**
 * The Anthropic Messages API request of a model call, made from Troupe's provider-neutral
 * messages. Pure. Anthropic's rules live here:
 * - system messages become the `system` blocks; tool results are `tool_result` blocks of a user
 *   turn (with their images, and `is_error` when the action failed); consecutive turns of one
 *   role are merged, tool results first;
 * - an assistant turn starts with its thinking blocks exactly as they were returned (the API
 *   checks their signatures), then its text, then its `tool_use` blocks;
 * - with `cachingPrompt`, cache breakpoints go on the last tool, the last system block and the
 *   last block of each of the last two user turns: each step writes its prompt to the cache and
 *   the next one reads it back (4 breakpoints, the API's most).
 */

type CacheControl = { type: 'ephemeral' };
const EPHEMERAL: CacheControl = { type: 'ephemeral' };

type ImageSource = { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string };
export type AnthropicBlock =
  | { type: 'text'; text: string; cache_control?: CacheControl }
  | { type: 'image'; source: ImageSource; cache_control?: CacheControl }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; cache_control?: CacheControl }
  | {
      type: 'tool_result';
      tool_use_id: string;
      content: Array<Extract<AnthropicBlock, { type: 'text' | 'image' }>>;
      is_error?: boolean;
      cache_control?: CacheControl;
    };

export interface AnthropicTurn {
  role: 'user' | 'assistant';
  content: AnthropicBlock[];
}

export interface AnthropicRequestParams {
  model: string;
  max_tokens: number;
  messages: AnthropicTurn[];
  system?: Array<{ type: 'text'; text: string; cache_control?: CacheControl }>;
  tools?: Array<{ name: string; description: string; input_schema: Record<string, unknown>; cache_control?: CacheControl }>;
  thinking?: { type: 'enabled'; budget_tokens: number };
  temperature?: number;
  top_p?: number;
  top_k?: number;
  stop_sequences?: string[];
}

/** Anthropic requires `max_tokens`: the configured limit, else the model's own, else this. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 8_192;

export function anthropicMaxTokens(config: Pick<LLMConfig, 'maxOutputTokens'>, capabilities: ModelCapabilities | undefined): number {
  return config.maxOutputTokens ?? capabilities?.maxOutputTokens ?? DEFAULT_ANTHROPIC_MAX_TOKENS;
}

export function toAnthropicRequest(
  messages: readonly Message[],
  tools: readonly ModelTool[],
  model: string,
  config: LLMConfig,
  capabilities: ModelCapabilities | undefined,
): AnthropicRequestParams {
  const system: NonNullable<AnthropicRequestParams['system']> = messages.flatMap((message) => {
    const text = message.role === 'system' ? contentText(message.content) : '';
    return text.trim() === '' ? [] : [{ type: 'text' as const, text }];
  });
  const turns = toTurns(messages);
  const anthropicTools: NonNullable<AnthropicRequestParams['tools']> = tools.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters }));
  if (config.cachingPrompt) {
    const lastTool = anthropicTools.at(-1);
    if (lastTool) lastTool.cache_control = EPHEMERAL;
    const lastSystem = system.at(-1);
    if (lastSystem) lastSystem.cache_control = EPHEMERAL;
    for (const turn of turns.filter((candidate) => candidate.role === 'user').slice(-2)) markLastBlock(turn);
  }
  return {
    model,
    max_tokens: anthropicMaxTokens(config, capabilities),
    messages: turns,
    ...(system.length > 0 ? { system } : {}),
    ...(anthropicTools.length > 0 ? { tools: anthropicTools } : {}),
    ...(config.extendedThinkingBudget === undefined ? {} : { thinking: { type: 'enabled' as const, budget_tokens: config.extendedThinkingBudget } }),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
    ...(config.topP === undefined ? {} : { top_p: config.topP }),
    ...(config.topK === undefined ? {} : { top_k: config.topK }),
    ...(config.stop === undefined ? {} : { stop_sequences: config.stop }),
  };
}

function toTurns(messages: readonly Message[]): AnthropicTurn[] {
  const turns: AnthropicTurn[] = [];
  const push = (role: AnthropicTurn['role'], content: AnthropicBlock[]): void => {
    if (content.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...content);
    else turns.push({ role, content });
  };
  for (const message of messages) {
    switch (message.role) {
      case 'system':
        break;
      case 'user':
        push('user', contentBlocks(message.content));
        break;
      case 'assistant':
        push('assistant', [
          ...(message.thinking_blocks ?? []).map(thinkingBlock),
          ...contentBlocks(message.content.filter((part) => part.type === 'text')),
          ...(message.tool_calls ?? []).map((call) => ({ type: 'tool_use' as const, id: toolUseId(call.id), name: call.name, input: toolInput(call.arguments) })),
        ]);
        break;
      case 'tool': {
        const text = contentText(message.content);
        push('user', [
          {
            type: 'tool_result',
            tool_use_id: toolUseId(message.tool_call_id ?? ''),
            content: contentBlocks(message.content) as Array<Extract<AnthropicBlock, { type: 'text' | 'image' }>>,
            ...(text.startsWith(ERROR_OBSERVATION_HEADER) ? { is_error: true } : {}),
          },
        ]);
        break;
      }
    }
  }
  return turns;
}

function thinkingBlock(block: AnyThinkingBlock): AnthropicBlock {
  return block.type === 'thinking' ? { type: 'thinking', thinking: block.thinking, signature: block.signature ?? '' } : { type: 'redacted_thinking', data: block.data };
}

/** Text (whitespace-only text is refused by the API, so left out) and images. */
function contentBlocks(content: readonly Content[]): AnthropicBlock[] {
  return content.flatMap((part): AnthropicBlock[] => {
    if (part.type === 'text') return part.text.trim() === '' ? [] : [{ type: 'text', text: part.text }];
    return part.image_urls.map((url) => ({ type: 'image', source: imageSource(url) }));
  });
}

function imageSource(url: string): ImageSource {
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return data ? { type: 'base64', media_type: data[1]!, data: data[2]! } : { type: 'url', url };
}

/** Anthropic's tool-use ids allow letters, digits, `_` and `-` (ids of other providers may have more, after a fallback). */
function toolUseId(id: string): string {
  return id.replace(/[^a-zA-Z0-9_-]/g, '_') || 'toolu_missing';
}

/** Tool input must be an object; the history keeps arguments as JSON text (malformed ones wrapped by the parser). */
function toolInput(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Not JSON: kept as text below.
  }
  return { arguments: text };
}

function markLastBlock(turn: AnthropicTurn): void {
  const block = turn.content.findLast((candidate) => candidate.type !== 'thinking' && candidate.type !== 'redacted_thinking');
  if (block) Object.assign(block, { cache_control: EPHEMERAL });
}
