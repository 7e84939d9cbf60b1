import { isDeepStrictEqual } from 'node:util';
import type { AgentConfig } from '@troupe/core';

/** The first agent each `Agent`'s actors reported, keyed by the config the handles were given. */
const views = new WeakMap<AgentConfig, AgentConfig>();

/**
 * The agent a handle's state shows: every actor's snapshot carries its own copy of the (redacted)
 * agent, so handles of one `Agent` share the first copy instead while the agent they report is the
 * same (an idle conversation then holds no agent of its own). Handles only read it.
 */
export function sharedAgentView(given: AgentConfig | undefined, reported: AgentConfig): AgentConfig {
  if (!given) return reported;
  const known = views.get(given);
  if (!known) {
    views.set(given, reported);
    return reported;
  }
  return known === reported || isDeepStrictEqual(known, reported) ? known : reported;
}
