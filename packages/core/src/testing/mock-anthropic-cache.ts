import { createHash } from 'node:crypto';
import type { AnthropicCacheControl, AnthropicRequest, CacheBreakpoint, PromptPosition } from './mock-anthropic-request.js';
import { textTokens } from './mock-text.js';

/**
 * Anthropic-style prompt caching, deterministic. The rule:
 *
 * - The prompt is a list of blocks in the order tools, system blocks, message content blocks. A
 *   block costs `ceil(length / 4)` tokens, length being that of its JSON without `cache_control`
 *   (and without the `citations: null` / `caller: direct` a response carries); `promptTokens` is
 *   the sum. A prefix is identified by its blocks, the model and the API key; message blocks also
 *   by their role, and by the request's `tool_choice` and `thinking` (changing those invalidates
 *   the cached messages, not the tools and system).
 * - Breakpoints: the blocks with `cache_control`, plus, for a top-level `cache_control`, the last
 *   block that is not a thinking block. At most 4.
 * - Read: at each breakpoint, the mock looks for a cached prefix ending at that block or at one of
 *   the 20 blocks before it; the longest found is `cache_read_input_tokens`.
 * - Write: every breakpoint whose prefix has at least `minCacheableTokens` tokens is cached once the
 *   reply is sent. `cache_creation_input_tokens` is the part of the longest such prefix beyond what
 *   was read; `input_tokens` is the rest of the prompt. Without breakpoints nothing is read or written.
 * - Entries never expire by time; the least recently used go beyond 200,000 entries.
 */

const LOOKBACK_BLOCKS = 20;
const MAX_ENTRIES = 200_000;
export const MAX_CACHE_BREAKPOINTS = 4;

interface PromptBlock {
  position: PromptPosition;
  tokens: number;
  /** What identifies the block in a prefix. */
  key: string;
  cacheControl: AnthropicCacheControl | null | undefined;
  /** Thinking blocks cannot end a cached prefix of their own. */
  thinking: boolean;
}

export interface CacheAccount {
  promptTokens: number;
  inputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  cacheCreation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  breakpoints: CacheBreakpoint[];
  readUpTo: PromptPosition | null;
  /** Prefix ids to store (and the one read, to refresh) once the reply is sent. */
  touched: string[];
}

export class PromptCache {
  /** Prefix ids, least recently used first. */
  readonly #entries = new Map<string, true>();

  constructor(private readonly minCacheableTokens: number) {}

  /** The cache accounting of a request, from its API key `scope`; nothing is stored until `commit`. */
  account(request: AnthropicRequest, scope: string): CacheAccount {
    const blocks = promptBlocks(request);
    const prefixTokens: number[] = [];
    const ids: string[] = [];
    let tokens = 0;
    let hash = createHash('sha256').update(`${scope}\n${request.model}`).digest('base64');
    for (const [index, block] of blocks.entries()) {
      if (block.position.location === 'messages' && blocks[index - 1]?.position.location !== 'messages') {
        hash = digest(hash, JSON.stringify({ tool_choice: request.tool_choice ?? null, thinking: request.thinking ?? null }));
      }
      hash = digest(hash, block.key);
      tokens += block.tokens;
      prefixTokens.push(tokens);
      ids.push(hash);
    }

    const breakpointIndexes = findBreakpoints(blocks, request.cache_control);
    const breakpoints = breakpointIndexes.map(({ index, automatic }): CacheBreakpoint => {
      const block = blocks[index]!;
      const ttl = (automatic ? request.cache_control : block.cacheControl)?.ttl ?? '5m';
      return { ...block.position, ttl, prefixTokens: prefixTokens[index]!, ...(automatic ? { automatic: true as const } : {}) };
    });

    let readIndex = -1;
    for (const { index } of breakpointIndexes) {
      for (let candidate = index; candidate >= Math.max(0, index - LOOKBACK_BLOCKS) && candidate > readIndex; candidate--) {
        if (this.#entries.has(ids[candidate]!)) {
          readIndex = candidate;
          break;
        }
      }
    }
    const read = readIndex === -1 ? 0 : prefixTokens[readIndex]!;
    const cacheCreation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    const touched = readIndex === -1 ? [] : [ids[readIndex]!];
    let covered = read;
    for (const [order, { index }] of breakpointIndexes.entries()) {
      const prefix = prefixTokens[index]!;
      if (prefix < this.minCacheableTokens) continue;
      touched.push(ids[index]!);
      if (prefix <= covered) continue;
      cacheCreation[breakpoints[order]!.ttl === '1h' ? 'ephemeral_1h_input_tokens' : 'ephemeral_5m_input_tokens'] += prefix - covered;
      covered = prefix;
    }
    return {
      promptTokens: tokens,
      inputTokens: tokens - covered,
      cacheCreationInputTokens: covered - read,
      cacheReadInputTokens: read,
      cacheCreation,
      breakpoints,
      readUpTo: readIndex === -1 ? null : blocks[readIndex]!.position,
      touched,
    };
  }

  commit(account: CacheAccount): void {
    for (const id of account.touched) {
      this.#entries.delete(id);
      this.#entries.set(id, true);
    }
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) break;
      this.#entries.delete(id);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The blocks of the prompt in cache order, with their tokens and identities. */
function promptBlocks(request: AnthropicRequest): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  const add = (position: PromptPosition, block: object, identity: string, thinking = false): void => {
    const text = canonical(block);
    const cacheControl = 'cache_control' in block ? (block.cache_control as AnthropicCacheControl | null | undefined) : undefined;
    blocks.push({ position, tokens: textTokens(text), key: `${identity}${text}`, cacheControl, thinking });
  };
  request.tools?.forEach((tool, index) => add({ location: 'tools', index }, tool, 'tool:'));
  request.system?.forEach((block, index) => add({ location: 'system', index }, block, 'system:'));
  request.messages.forEach((message, index) => {
    message.content.forEach((block, blockIndex) => {
      const thinking = block.type === 'thinking' || block.type === 'redacted_thinking';
      add({ location: 'messages', index, blockIndex }, block, `${message.role}${blockIndex === 0 ? '+' : ''}:`, thinking);
    });
  });
  return blocks;
}

/** Indexes of the breakpoint blocks, in prompt order. */
function findBreakpoints(blocks: PromptBlock[], automatic: AnthropicCacheControl | null | undefined): { index: number; automatic: boolean }[] {
  const found = blocks.flatMap((block, index) => (block.cacheControl ? [{ index, automatic: false }] : []));
  if (!automatic) return found;
  const last = blocks.findLastIndex((block) => !block.thinking);
  if (last !== -1 && found.at(-1)?.index !== last) found.push({ index: last, automatic: true });
  return found;
}

/** The block as the model sees it: JSON without the fields that do not change the prompt. */
function canonical(block: object): string {
  return JSON.stringify(block, (key, value: unknown) => {
    if (key === 'cache_control' || (key === 'citations' && value === null)) return undefined;
    if (key === 'caller' && (value as { type?: unknown } | null)?.type === 'direct') return undefined;
    return value;
  });
}

function digest(previous: string, key: string): string {
  return createHash('sha256').update(previous).update('\n').update(key).digest('base64');
}
