import type { ToolOutput } from '@troupe/core';

/** An expected failure, told to the model (which sees it after the runtime's error header). */
export function errorOutput(text: string, data?: Record<string, unknown>): ToolOutput {
  return { content: text, isError: true, ...(data ? { data } : {}) };
}
