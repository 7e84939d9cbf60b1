import { burnCpu, NOOP_RESULT } from '../bench-tool-work.js';

/**
 * The tools as the peers run them: the same work as the Troupe agent's tools (bench-tool-work.ts),
 * without loading Troupe. Their JSON specs come from the Troupe definitions (the task's `tools`).
 */

export const FINISH_TOOL = 'finish';

/** The header the mock routes scripts by (`CONVERSATION_ID_HEADER` of `@troupe/core/testing`, which a peer's process does not load). */
export const CONVERSATION_ID_HEADER = 'x-troupe-conversation-id';

/** Runs the tool `name` with parsed `args`; a tool the bench never scripts is an error, not a made-up answer. */
export function executePeerTool(name: string, args: Record<string, unknown>): string {
  switch (name) {
    case 'noop':
      return NOOP_RESULT;
    case 'burn':
      return burnCpu(Number(args.ms));
    case FINISH_TOOL:
      return String(args.message);
    default:
      throw new Error(`The peers bench scripts only noop, burn and finish; the model called "${name}".`);
  }
}
