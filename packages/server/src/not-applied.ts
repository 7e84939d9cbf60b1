import { z } from 'zod';

/**
 * A request field Troupe stored but does not act on (yet): reported in ConversationInfo's
 * `not_applied`, so nothing a client sends is dropped without a word.
 */
export const NotAppliedSchema = z.object({
  /** Where it was sent, dotted (`agent.llm.reasoning_effort`). */
  field: z.string(),
  reason: z.string(),
});
export type NotApplied = z.infer<typeof NotAppliedSchema>;

const SECRET_KEY = /(^|_)(api_key|secret|secret_access_key|session_token|password)$/i;
export const REDACTED = '**********';

/**
 * A stored copy of request fields without secret values (a condenser's LLM carries an API key):
 * what `server.json` and ConversationInfo hold. Walks with an explicit stack (bodies are bounded).
 */
export function redactSecrets<T>(value: T): T {
  const copy = structuredClone(value);
  const stack: unknown[] = [copy];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, child] of Object.entries(current)) {
      if (SECRET_KEY.test(key) && typeof child === 'string') (current as Record<string, unknown>)[key] = REDACTED;
      else stack.push(child);
    }
  }
  return copy;
}

/** Values under which OpenHands behaves as Troupe does: nothing to report. */
export function isUnset(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/**
 * Reports every stored field whose value is not inert. `inert` names the fields with a value (or a
 * test) under which they change nothing; others count as inert only when unset.
 */
export function notAppliedOf(
  stored: Record<string, unknown>,
  path: string,
  inert: Readonly<Record<string, (value: unknown) => boolean>>,
  reasons: Readonly<Record<string, string>> = {},
): NotApplied[] {
  return Object.entries(stored).flatMap(([name, value]) => {
    if (inert[name] ? inert[name](value) : isUnset(value)) return [];
    return [{ field: `${path}.${name}`, reason: reasons[name] ?? 'stored, not used by Troupe yet' }];
  });
}
