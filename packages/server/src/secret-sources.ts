import { errorMessage } from '@troupe/core';
import { z } from 'zod';
import { RequestValidationError } from './http-error.js';
import { MAX_NAME_LENGTH } from './wire-limits.js';

const MAX_SECRET_LENGTH = 65_536;
const LOOKUP_TIMEOUT_MS = 30_000;

/**
 * A secret as OpenHands writes one: its value, `{value}`, a `StaticSecret`, or a `LookupSecret`
 * whose value the server fetches (GET `url` with `headers`; the body is the value).
 */
export const SecretSourceSchema = z.union([
  z.string().max(MAX_SECRET_LENGTH),
  z.object({ kind: z.literal('StaticSecret').optional(), value: z.string().max(MAX_SECRET_LENGTH), description: z.string().max(1000).nullish() }),
  z.object({
    kind: z.literal('LookupSecret'),
    url: z.url({ protocol: /^https?$/ }).max(4096),
    headers: z.record(z.string().max(MAX_NAME_LENGTH), z.string().max(8192)).nullish(),
    description: z.string().max(1000).nullish(),
  }),
]);
export type SecretSource = z.output<typeof SecretSourceSchema>;

export const SecretsSchema = z.record(z.string().min(1).max(MAX_NAME_LENGTH).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment-variable-like name'), SecretSourceSchema);

/** Fetches one LookupSecret: its body, or a 422 on `secrets.NAME.url` that says why. */
async function lookUp(name: string, source: { url: string; headers?: Record<string, string> | null | undefined }, path: readonly string[]): Promise<string> {
  const fail = (why: string) => new RequestValidationError([{ path: [...path, name, 'url'], message: `LookupSecret ${name}: ${why}. Check the URL and headers, or send the value as a StaticSecret.`, code: 'lookup_failed' }]);
  let response: Response;
  try {
    response = await fetch(source.url, { headers: source.headers ?? {}, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw fail(`${source.url} could not be reached (${errorMessage(error)})`);
  }
  if (!response.ok) throw fail(`${source.url} answered ${response.status}`);
  const text = await response.text();
  if (text.length > MAX_SECRET_LENGTH) throw fail(`the value is longer than ${MAX_SECRET_LENGTH} characters`);
  return text;
}

/**
 * Secret values from their wire forms. A LookupSecret is fetched here, on the server (where
 * OpenHands fetches it too), once: the value is then held in memory like the others.
 */
export async function secretValues(secrets: Record<string, SecretSource>, path: readonly string[] = ['secrets']): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(secrets).map(async ([name, source]): Promise<[string, string]> => {
      if (typeof source === 'string') return [name, source];
      if (source.kind === 'LookupSecret') return [name, await lookUp(name, source, path)];
      return [name, source.value];
    }),
  );
  return Object.fromEntries(entries);
}
