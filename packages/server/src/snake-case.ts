import { snakeCase } from '@troupe/core';
import type { z } from 'zod';

/** `baseUrl` → `base_url`, at the type level. */
export type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

export type SnakeShape<Shape extends z.ZodRawShape> = { [K in keyof Shape as K extends string ? SnakeCase<K> : K]: Shape[K] };

/**
 * The shape of a core (camelCase) zod object with snake_case keys, so the wire schemas derive
 * from the core configs instead of repeating their fields.
 */
export function snakeShape<Shape extends z.ZodRawShape>(shape: Shape): SnakeShape<Shape> {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [snakeCase(key), schema])) as SnakeShape<Shape>;
}
