import type { FastifyInstance } from 'fastify';
import { RequestValidationError } from './http-error.js';

/**
 * Bounds on every JSON the server reads (request bodies, WebSocket frames). Real requests nest a
 * handful of levels; the limits keep every later recursion over a body (validation, storage,
 * serialisation) far from the stack's end.
 */
export const JSON_LIMITS = { maxDepth: 64, maxValues: 200_000 } as const;

/**
 * What makes a JSON text too deep or too big, or undefined. Scans the text once without building
 * anything, so it is safe on any input; the text may still be invalid JSON (the parser says so).
 */
export function jsonTextProblem(text: string, limits: { maxDepth: number; maxValues: number } = JSON_LIMITS): string | undefined {
  let depth = 0;
  // Containers and separators: an upper bound on the values the text holds.
  let values = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) index++;
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limits.maxDepth) return `is nested deeper than ${limits.maxDepth} levels`;
      values++;
    } else if (char === 0x7d || char === 0x5d) depth--;
    else if (char === 0x2c) values++;
    if (values > limits.maxValues) return `holds more than ${limits.maxValues} values`;
  }
  return undefined;
}

/** True when a parsed value nests deeper than `maxDepth` (walked with an explicit stack, never recursion). */
export function jsonValueTooDeep(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Fastify's JSON parser (with its prototype-poisoning protection) behind `jsonTextProblem`: a body
 * past the bounds is a 422 on `body` before it is parsed.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'ignore');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    const problem = jsonTextProblem(text);
    if (problem) return done(new RequestValidationError([{ path: [], message: `The JSON body ${problem}`, code: 'json_too_complex' }]), undefined);
    return parse(request, text, done);
  });
}
