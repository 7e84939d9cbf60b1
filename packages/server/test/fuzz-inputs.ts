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
const KEYS = ['kind', 'type', 'name', 'params', 'env', 'value', 'text', 'content', 'role', 'run', 'llm', 'model', 'tools', 'working_dir', 'policy', 'threshold', '__proto__', 'constructor', '', 'A=B', '1X', 'A B', 'x'.repeat(300), 'noChangeTimeoutSeconds', 'shell', 'timeout'];

export function randomValue(random: Random, depth = 0): unknown {
  const choice = random.int(depth > 3 ? 4 : 7);
  if (choice === 0) return null;
  if (choice === 1) return random.chance(0.5);
  if (choice === 2) return random.pick(HOSTILE_NUMBERS);
  if (choice === 3) return random.pick(HOSTILE_STRINGS);
  if (choice === 4) return Array.from({ length: random.int(4) }, () => randomValue(random, depth + 1));
  return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(KEYS), randomValue(random, depth + 1)]));
}

/** A value nested `depth` levels deep. */
const deepValue = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = level % 2 ? [value] : { a: value };
  return value;
};

/** A hostile value in place of `original`: mostly of the same type, so it passes the type check and meets the deeper ones. */
function hostileFor(random: Random, original: unknown): unknown {
  if (random.chance(0.3)) return randomValue(random);
  if (typeof original === 'string') return random.pick(HOSTILE_STRINGS);
  if (typeof original === 'number') return random.pick(HOSTILE_NUMBERS);
  if (typeof original === 'object' && original !== null) return random.pick([deepValue(100), deepValue(3000), randomValue(random), {}, [], { [random.pick(KEYS)]: randomValue(random) }]);
  return randomValue(random);
}

/** Every path into a value (not the value itself), down to the depth real bodies have (never into a deep value put there). */
function pathsOf(value: unknown): (string | number)[][] {
  const paths: (string | number)[][] = [];
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current !== 'object' || current === null || path.length >= 8) continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = [...path, Array.isArray(current) ? Number(key) : key];
      paths.push(childPath);
      stack.push([child, childPath]);
    }
  }
  return paths;
}

/**
 * A copy of `valid` with a value in it replaced, removed, or given an extra key (sometimes two).
 * Most of the time the value is one under a `focus` path (dotted: where bad input can reach the
 * filesystem, a tool or storage), so those are hit often however large the rest of the body is.
 */
export function mutate(random: Random, valid: unknown, focus: readonly string[] = []): unknown {
  if (random.chance(0.05)) return randomValue(random);
  const copy = structuredClone(valid);
  for (let count = random.chance(0.8) ? 1 : 2; count > 0; count--) {
    const all = pathsOf(copy);
    const focused = all.filter((path) => focus.some((prefix) => `${path.join('.')}.`.startsWith(`${prefix}.`)));
    const paths = focused.length > 0 && random.chance(0.7) ? focused : all;
    if (paths.length === 0) break;
    const path = random.pick(paths);
    let parent = copy as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const key = path.at(-1)!;
    const action = random.int(10);
    if (action === 0 && !Array.isArray(parent)) delete parent[key];
    else if (action === 1 && typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key])) (parent[key] as Record<string, unknown>)[random.pick(KEYS)] = randomValue(random);
    else parent[key] = hostileFor(random, parent[key]);
  }
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
