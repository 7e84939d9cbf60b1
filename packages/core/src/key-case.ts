/** `baseUrl` → `base_url`: configs are camelCase in TypeScript, snake_case where they leave the process. */
export function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `base_url` → `baseUrl`. */
export function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
