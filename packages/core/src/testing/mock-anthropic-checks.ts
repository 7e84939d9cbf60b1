import type { AnthropicRequest, SentBackThinking } from './mock-anthropic-request.js';
import type { MockScript } from './mock-script.js';
import { isValidMockRedactedThinking, isValidMockThinking } from './mock-thinking-signature.js';

/**
 * The rules of the Messages API that a schema cannot express, checked on a validated request.
 * Each returns the real API's 400 message (`path: message`) for the first rule broken.
 */

export function thinkingEnabled(request: AnthropicRequest): boolean {
  return request.thinking !== undefined && request.thinking.type !== 'disabled';
}

/** Sampling and tool choice with thinking, tools and tool choice. */
export function checkParameters(request: AnthropicRequest): string | undefined {
  const { thinking, tool_choice: toolChoice, tools } = request;
  if (thinking?.type === 'enabled' && thinking.budget_tokens >= request.max_tokens) {
    return 'max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`.';
  }
  if (thinkingEnabled(request)) {
    if (request.temperature !== undefined && request.temperature !== 1) return 'temperature: `temperature` may only be set to 1 when thinking is enabled.';
    if (request.top_k !== undefined) return 'top_k: `top_k` must be unset when thinking is enabled.';
    if (request.top_p !== undefined && request.top_p < 0.95) return 'top_p: `top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.';
    if (toolChoice?.type === 'any' || toolChoice?.type === 'tool') return 'tool_choice: Thinking may not be enabled when `tool_choice` forces tool use.';
  }
  const names = new Set<string>();
  for (const [index, tool] of (tools ?? []).entries()) {
    if (names.has(tool.name)) return `tools.${index}.name: Tool names must be unique (\`${tool.name}\` is defined twice).`;
    names.add(tool.name);
  }
  if (toolChoice !== undefined && toolChoice.type !== 'none' && names.size === 0) return 'tool_choice: `tool_choice` may only be specified while providing tools.';
  if (toolChoice?.type === 'tool' && !names.has(toolChoice.name)) return `tool_choice.name: Tool \`${toolChoice.name}\` not found in tools.`;
  return undefined;
}

/** Empty contents and text, and `tool_use` / `tool_result` pairing. */
export function checkMessages(request: AnthropicRequest): string | undefined {
  for (const [index, block] of (request.system ?? []).entries()) {
    if (block.text.trim() === '') return `system.${index}.text: text content blocks must contain non-whitespace text`;
  }
  const { messages } = request;
  let usesTools = false;
  for (const [index, message] of messages.entries()) {
    const isFinalAssistant = index === messages.length - 1 && message.role === 'assistant';
    if (message.content.length === 0 && !isFinalAssistant) {
      return `messages.${index}: all messages must have non-empty content except for the optional final assistant message`;
    }
    for (const [blockIndex, block] of message.content.entries()) {
      if (block.type === 'text' && block.text.trim() === '') return `messages.${index}.content.${blockIndex}.text: text content blocks must contain non-whitespace text`;
      if (block.type === 'tool_use' || block.type === 'tool_result') usesTools = true;
    }
    const problem = checkToolPairing(messages, index);
    if (problem !== undefined) return problem;
  }
  if (usesTools && (request.tools ?? []).length === 0) return 'tools: Requests which include `tool_use` or `tool_result` blocks must define tools.';
  return undefined;
}

function checkToolPairing(messages: AnthropicRequest['messages'], index: number): string | undefined {
  const message = messages[index]!;
  if (message.role === 'assistant') {
    const ids = message.content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : []));
    const next = messages[index + 1];
    const answered = new Set(next?.role === 'user' ? next.content.flatMap((block) => (block.type === 'tool_result' ? [block.tool_use_id] : [])) : []);
    const missing = ids.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return (
        `messages.${index + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(', ')}. ` +
        'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
      );
    }
    return undefined;
  }
  const previous = messages[index - 1];
  const asked = new Set(previous?.role === 'assistant' ? previous.content.flatMap((block) => (block.type === 'tool_use' ? [block.id] : [])) : []);
  for (const [blockIndex, block] of message.content.entries()) {
    if (block.type !== 'tool_result' || asked.has(block.tool_use_id)) continue;
    return (
      `messages.${index}.content.${blockIndex}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${block.tool_use_id}. ` +
      'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
    );
  }
  return undefined;
}

/** The thinking blocks sent back, each checked against the signature the mock gave it. */
export function sentBackThinking(request: AnthropicRequest): SentBackThinking[] {
  return request.messages.flatMap((message, messageIndex) =>
    message.content.flatMap((block, blockIndex): SentBackThinking[] => {
      if (block.type === 'thinking') return [{ messageIndex, blockIndex, type: 'thinking', valid: isValidMockThinking(block.thinking, block.signature) }];
      if (block.type === 'redacted_thinking') return [{ messageIndex, blockIndex, type: 'redacted_thinking', valid: isValidMockRedactedThinking(block.data) }];
      return [];
    }),
  );
}

/**
 * Tampered thinking blocks, and, with thinking on, a tool loop whose last assistant turn lost the
 * thinking the mock gave it (judged by the script: the mock thinks only where the script says so).
 */
export function checkThinking(request: AnthropicRequest, thinking: SentBackThinking[], script: MockScript): string | undefined {
  const tampered = thinking.find((block) => !block.valid);
  if (tampered !== undefined) {
    const field = tampered.type === 'thinking' ? '`signature` in `thinking`' : '`data` in `redacted_thinking`';
    return `messages.${tampered.messageIndex}.content.${tampered.blockIndex}: Invalid ${field} block (it must be sent back exactly as the mock returned it).`;
  }
  if (!thinkingEnabled(request)) return undefined;
  const { messages } = request;
  const lastAssistant = messages.findLastIndex((message) => message.role === 'assistant');
  const message = messages[lastAssistant];
  if (message === undefined || !message.content.some((block) => block.type === 'tool_use')) return undefined;
  const reply = script[messages.slice(0, lastAssistant).filter((earlier) => earlier.role === 'assistant').length]?.reply;
  const scriptThought = reply !== undefined && reply.type !== 'empty' && (reply.reasoning !== undefined || (reply.redactedThinking ?? []).length > 0);
  const first = message.content[0]!;
  if (!scriptThought || first.type === 'thinking' || first.type === 'redacted_thinking') return undefined;
  return (
    `messages.${lastAssistant}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${first.type}\`. ` +
    'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceding the lastmost set of ' +
    '`tool_use` and `tool_result` blocks). Send the thinking blocks of the previous turn back unchanged, or disable `thinking`.'
  );
}
