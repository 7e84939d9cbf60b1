import { z } from 'zod';
import { ConfigError } from '@troupe/core';

/**
 * A built-in tool's `params` (set by whoever configures the agent, never by the model), checked
 * against its strict schema: an option the tool does not know is refused, not ignored.
 */
export function parseToolOptions<S extends z.ZodType>(toolName: string, schema: S, params: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(params);
  if (!result.success) {
    throw new ConfigError(`Invalid params for tool "${toolName}":\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** For tools that take no `params` at all. */
export const NoToolOptionsSchema = z.strictObject({});
