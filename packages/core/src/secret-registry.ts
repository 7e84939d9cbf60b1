export const SECRET_MASK = '<secret-hidden>';

/** Read access to a conversation's secrets, as tools see it. */
export interface SecretAccess {
  /** Names of every secret, never values. */
  names(): string[];
  /** Secrets whose *name* occurs in `text` (case-insensitive), e.g. a command to run. */
  referencedBy(text: string): Record<string, string>;
  /** `text` with every secret value replaced by `<secret-hidden>`. */
  mask(text: string): string;
}

/**
 * Holds a conversation's secrets and masks their values out of everything that leaves a tool:
 * observations, events, log lines. Values are never persisted; only names are.
 */
export class SecretRegistry implements SecretAccess {
  readonly #values = new Map<string, string>();
  /** Masked like secrets but never offered by name (API keys). */
  readonly #alsoMasked: readonly string[];
  /** Values longest first, so a value that contains another is masked whole. */
  #maskOrder: string[] = [];

  constructor(initial?: Record<string, string>, alsoMasked: readonly string[] = []) {
    this.#alsoMasked = alsoMasked;
    this.update(initial ?? {});
  }

  update(secrets: Record<string, string>): void {
    for (const [name, value] of Object.entries(secrets)) this.#values.set(name, value);
    this.#maskOrder = [...new Set([...this.#values.values(), ...this.#alsoMasked])]
      .filter((value) => value.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.#values.size;
  }

  names(): string[] {
    return [...this.#values.keys()];
  }

  /** Every secret by name, for a process that gets them in its environment (a hook). */
  values(): Record<string, string> {
    return Object.fromEntries(this.#values);
  }

  referencedBy(text: string): Record<string, string> {
    const lower = text.toLowerCase();
    const found: Record<string, string> = {};
    for (const [name, value] of this.#values) {
      if (lower.includes(name.toLowerCase())) found[name] = value;
    }
    return found;
  }

  mask(text: string): string {
    let masked = text;
    for (const value of this.#maskOrder) {
      if (masked.includes(value)) masked = masked.split(value).join(SECRET_MASK);
    }
    return masked;
  }

  /** A deep copy of `value` with every string masked. Returns `value` itself when there is nothing to mask. */
  maskDeep<T>(value: T): T {
    if (this.#maskOrder.length === 0) return value;
    return maskValue(value, (text) => this.mask(text)) as T;
  }
}

/** Environment variables that hold credentials by their name (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, OpenHands' session keys). */
const CREDENTIAL_NAME = /(^|_)(API_KEYS?|TOKEN|SECRET|SECRET_KEY|ACCESS_KEY|PASSWORD)(_\d+)?$/i;
/** Shorter values are too likely to occur by chance to be masked everywhere. */
const MIN_MASKED_LENGTH = 8;

/** The credential values of an environment, to mask wherever they would appear (events, state, logs, errors). */
export function credentialValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_MASKED_LENGTH && CREDENTIAL_NAME.test(name)) values.push(value);
  }
  return values;
}

function maskValue(value: unknown, mask: (text: string) => string): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = maskValue(item, mask);
    return out;
  }
  return value;
}
