import type { ToolOutput } from '@troupe/core';

/** What the model sees before the text of a failed tool call. */
export const ERROR_MESSAGE_HEADER = '[An error occurred during execution.]\n';

/** An expected failure: the error header, then `text`. */
export function errorOutput(text: string, data?: Record<string, unknown>): ToolOutput {
  return { content: ERROR_MESSAGE_HEADER + text, isError: true, ...(data ? { data } : {}) };
}
