/** Seeded generators of hostile requests for the fuzz test: the same seed gives the same requests. */

export interface Random {
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

/** mulberry32: small, fast, and good enough to spread inputs. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: (items) => items[int(items.length)]!, chance: (probability) => next() < probability };
}

// Absolute paths only: a relative one would be made below the server's working directory.
const HOSTILE_STRINGS = [
  '',
  'x',
  ' ',
  'a'.repeat(5000),
  'x'.repeat(1_100_000),
  '\u0000',
  'a\u0000b',
  '/proc/self/xyz',
  '/proc/self/fd/0/x',
  '/sys/kernel/troupe',
  '/dev/null',
  '/dev/troupe',
  '/etc/passwd',
  '/etc/passwd/below',
  `/${Array(100).fill('deep').join('/')}`,
  'A=B',
  '1ABC',
  '__proto__',
  '💥',
  '\ud800',
  '<script>alert(1)</script>',
  '%zz',
  '../../etc/passwd',
  'null',
  'AlwaysConfirm',
  'ConfirmRisky',
  'LocalWorkspace',
  'Agent',
  'user',
  'text',
  'openai/mock-model',
  'terminal',
  'file_editor',
  'finish',
  '2026-01-01T00:00:00Z',
];
const HOSTILE_NUMBERS = [0, -1, 1, 1.5, -0, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 1e-320, 100_001, 86_401];
const KEYS = ['kind', 'type', 'name', 'params', 'env', 'value', 'text', 'content', 'role', 'run', 'llm', 'model', 'tools', 'working_dir', 'policy', 'threshold', '__proto__', 'constructor', '', 'A=B', 'noChangeTimeoutSeconds', 'shell', 'timeout'];

export function randomValue(random: Random, depth = 0): unknown {
  const choice = random.int(depth > 3 ? 4 : 7);
  if (choice === 0) return null;
  if (choice === 1) return random.chance(0.5);
  if (choice === 2) return random.pick(HOSTILE_NUMBERS);
  if (choice === 3) return random.pick(HOSTILE_STRINGS);
  if (choice === 4) return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
  return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(KEYS), randomValue(random, depth + 1)]));
}

/** A copy of `valid` with one value somewhere in it replaced, removed or retyped. */
export function mutate(random: Random, valid: unknown): unknown {
  const copy = structuredClone(valid);
  const steps = random.int(5);
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number | null = null;
  let current: unknown = copy;
  for (let step = 0; step < steps && typeof current === 'object' && current !== null; step++) {
    const keys = Array.isArray(current) ? current.map((_, index) => index) : Object.keys(current);
    if (keys.length === 0) break;
    parent = current as Record<string, unknown>;
    key = random.pick(keys);
    current = (parent as Record<string, unknown>)[key];
  }
  if (parent === null || key === null) return random.chance(0.5) ? randomValue(random) : copy;
  if (random.chance(0.2) && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
  else (parent as Record<string, unknown>)[key] = randomValue(random);
  return copy;
}

/** Bodies no JSON schema is written for: broken, huge, deep, binary. */
export const RAW_BODIES = [
  '',
  '{',
  '{"agent": ',
  'null',
  '[]',
  '"string"',
  '123',
  'true',
  '{"__proto__": {"polluted": true}}',
  '{"constructor": {"prototype": {"polluted": true}}}',
  `${'['.repeat(100)}${']'.repeat(100)}`,
  `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`,
  `[${Array(210_000).fill('1').join(',')}]`,
  '\u0000\u0001\u0002',
  '\xff\xfe{}',
  '{"a":1,"a":2}',
  '{"content":[{"type":"text","text":"x"}],"run":"yes"}',
];

export const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/jsonx'];

export const HOSTILE_IDS = ['no-such-conversation', '..%2F..%2Fetc', '%2e%2e', '%00', 'a%00b', 'x'.repeat(200), '%zz', '%E2%98%83', 'a;b', "a'b", 'a%20b', '-', '_', 'CON', encodeURIComponent('/proc/self')];

export const QUERY_KEYS = ['limit', 'page_id', 'status', 'sort_order', 'kind', 'source', 'body', 'timestamp__gte', 'timestamp__lt', 'resend_mode', 'after_seq', 'session_api_key', 'x'];
export const QUERY_VALUES = ['', '0', '-1', '1', '100', '101', '1e3', 'NaN', 'Infinity', '%zz', '%00', 'finished', 'running', 'deleting', 'CREATED_AT', 'TIMESTAMP_DESC', 'SIDEWAYS', 'yesterday', '2026-01-01T00:00:00', '2026-13-45T99:99:99Z', 'x'.repeat(2000), '%E2%98%83', 'a&limit=2', '[]'];

export function randomQuery(random: Random): string {
  if (random.chance(0.4)) return '';
  const pairs = Array.from({ length: 1 + random.int(4) }, () => `${random.pick(QUERY_KEYS)}=${random.pick(QUERY_VALUES)}`);
  return `?${pairs.join('&')}`;
}
