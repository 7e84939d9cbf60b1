import { thinkingEnabled } from './mock-anthropic-checks.js';
import type { AnthropicRequest } from './mock-anthropic-request.js';
import type { MockReply } from './mock-script.js';
import { textTokens } from './mock-text.js';
import { mockRedactedThinkingData, mockThinkingSignature } from './mock-thinking-signature.js';

/**
 * The content of an Anthropic reply to a request, from a scripted reply: thinking (only when the
 * request enables it), then text, then tool_use blocks; cut where a stop sequence appears or
 * `max_tokens` runs out, as the real model stops there.
 */

export type AnthropicContentBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string; citations: null }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown>; caller: { type: 'direct' } };

export type AnthropicStopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';

export interface AnthropicReplyContent {
  content: AnthropicContentBlock[];
  stopReason: AnthropicStopReason;
  stopSequence: string | null;
  outputTokens: number;
}

/**
 * Output tokens: the thinking (whether shown or not), the text, and each tool's name and input
 * JSON, under the mock's tokenizer; at least 1. A block that does not fit in what is left of
 * `max_tokens` is cut (thinking and text, at 4 characters a token) or left out (redacted thinking,
 * tool use), and the reply stops there with `max_tokens`.
 */
export function replyContent(request: AnthropicRequest, reply: MockReply, turn: number): AnthropicReplyContent | string {
  const planned = plannedBlocks(request, reply, turn);
  if (typeof planned === 'string') return planned;
  const conflict = toolChoiceConflict(request, planned);
  if (conflict !== undefined) return `Mock script conflict (turn ${turn}): ${conflict}`;

  const omitted = request.thinking !== undefined && 'display' in request.thinking && request.thinking.display === 'omitted';
  const content: AnthropicContentBlock[] = [];
  let left = request.max_tokens;
  let outputTokens = 0;
  const spend = (tokens: number): void => {
    left -= tokens;
    outputTokens += tokens;
  };
  const stop = (stopReason: AnthropicStopReason, stopSequence: string | null = null): AnthropicReplyContent => ({
    content,
    stopReason,
    stopSequence,
    outputTokens: Math.max(1, outputTokens),
  });

  for (const block of planned) {
    if (block.type === 'thinking') {
      const fits = textTokens(block.text) <= left;
      const thinking = fits ? block.text : block.text.slice(0, left * 4);
      content.push({ type: 'thinking', thinking: omitted ? '' : thinking, signature: mockThinkingSignature(thinking, omitted ? 'omitted' : 'summarized') });
      spend(textTokens(thinking));
      if (!fits) return stop('max_tokens');
    } else if (block.type === 'redacted') {
      if (textTokens(block.text) > left) return stop('max_tokens');
      content.push({ type: 'redacted_thinking', data: mockRedactedThinkingData(block.text) });
      spend(textTokens(block.text));
    } else if (block.type === 'text') {
      const [text, sequence] = untilStopSequence(block.text, request.stop_sequences ?? []);
      const fits = textTokens(text) <= left;
      const shown = fits ? text : text.slice(0, left * 4);
      if (shown !== '') content.push({ type: 'text', text: shown, citations: null });
      spend(textTokens(shown));
      if (!fits) return stop('max_tokens');
      if (sequence !== null) return stop('stop_sequence', sequence);
    } else {
      const tokens = textTokens(block.name + JSON.stringify(block.input));
      if (tokens > left) return stop('max_tokens');
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: block.input, caller: { type: 'direct' } });
      spend(tokens);
    }
  }
  return stop(content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

type PlannedBlock =
  | { type: 'thinking'; text: string }
  | { type: 'redacted'; text: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** What the model would say with no limit; a string when the script cannot be said in this protocol. */
function plannedBlocks(request: AnthropicRequest, reply: MockReply, turn: number): PlannedBlock[] | string {
  if (reply.type === 'empty') return [];
  const blocks: PlannedBlock[] = [];
  if (thinkingEnabled(request)) {
    if (reply.reasoning !== undefined) blocks.push({ type: 'thinking', text: reply.reasoning });
    for (const text of reply.redactedThinking ?? []) blocks.push({ type: 'redacted', text });
  }
  if (reply.text !== undefined && reply.text !== '') blocks.push({ type: 'text', text: reply.text });
  if (reply.type === 'text') return blocks;
  for (const [index, call] of reply.calls.entries()) {
    const input = typeof call.arguments === 'string' ? parseObject(call.arguments) : call.arguments;
    if (input === undefined) {
      return (
        `Mock script error (turn ${turn}): the arguments of tool call \`${call.name}\` are not a JSON object. ` +
        'The Messages API always sends tool input as an object; script malformed arguments for the OpenAI route only.'
      );
    }
    blocks.push({ type: 'tool_use', id: call.id ?? `toolu_${turn}_${index}`, name: call.name, input });
  }
  return blocks;
}

/** Why the scripted tool calls break the request's `tool_choice`, if they do. */
function toolChoiceConflict(request: AnthropicRequest, blocks: PlannedBlock[]): string | undefined {
  const choice = request.tool_choice;
  if (choice === undefined) return undefined;
  const names = blocks.flatMap((block) => (block.type === 'tool_use' ? [block.name] : []));
  if (choice.type === 'none') return names.length > 0 ? `the script calls ${names.join(', ')} but tool_choice is none.` : undefined;
  if (choice.type !== 'auto' && names.length === 0) return `tool_choice is ${choice.type} but the script calls no tool.`;
  if (choice.type === 'tool' && names.some((name) => name !== choice.name)) return `tool_choice forces \`${choice.name}\` but the script calls ${names.join(', ')}.`;
  if (choice.disable_parallel_tool_use === true && names.length > 1) return `disable_parallel_tool_use is set but the script calls ${names.length} tools.`;
  return undefined;
}

/** The text before the earliest stop sequence in it, and that sequence (null when none occurs). */
function untilStopSequence(text: string, sequences: string[]): [string, string | null] {
  let cut = -1;
  let found: string | null = null;
  for (const sequence of sequences) {
    const at = sequence === '' ? -1 : text.indexOf(sequence);
    if (at !== -1 && (cut === -1 || at < cut)) [cut, found] = [at, sequence];
  }
  return cut === -1 ? [text, null] : [text.slice(0, cut), found];
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
