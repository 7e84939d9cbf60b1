import type { HookConfig, HookDefinition } from './hook-config.js';
import { matchersFor } from './hook-config.js';
import type { HookEventType } from './hook-execution-event.js';

/** Characters that make a matcher a regular expression (OpenHands' rule). */
const REGEX_CHARACTERS = /[|.*+?[\]()^$\\]/;

function fullMatch(pattern: string, text: string): boolean | undefined {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a matcher selects a tool: `*` or empty selects everything (and is the only matcher for
 * events without a tool); `/…/` is a regular expression matched against the whole name; a
 * matcher with regex characters is one too (an invalid one falls back to the exact name);
 * anything else is the exact tool name.
 */
export function matcherSelects(matcher: string, toolName: string | undefined): boolean {
  if (matcher === '*' || matcher === '') return true;
  if (toolName === undefined) return false;
  if (matcher.length > 2 && matcher.startsWith('/') && matcher.endsWith('/')) return fullMatch(matcher.slice(1, -1), toolName) ?? false;
  if (REGEX_CHARACTERS.test(matcher)) {
    const matched = fullMatch(matcher, toolName);
    if (matched !== undefined) return matched;
  }
  return matcher === toolName;
}

/** The hooks to run for an event (and tool), in configuration order. */
export function hooksFor(config: HookConfig, event: HookEventType, toolName?: string): HookDefinition[] {
  return matchersFor(config, event).flatMap((matcher) => (matcherSelects(matcher.matcher, toolName) ? matcher.hooks : []));
}
