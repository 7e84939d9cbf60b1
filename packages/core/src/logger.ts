/** Minimal structured logger. The runtime masks secrets before a line reaches it. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function envLevel(): Level {
  const value = process.env.TROUPE_LOG_LEVEL;
  return value && value in ORDER ? (value as Level) : 'warn';
}

/** Logs to stderr at `TROUPE_LOG_LEVEL` (default `warn`), passing every line through `mask`. */
export function createConsoleLogger(options: { level?: Level; mask?: (text: string) => string; prefix?: string } = {}): Logger {
  return new ConsoleLogger(ORDER[options.level ?? envLevel()], options.mask, options.prefix ? `[${options.prefix}] ` : '');
}

/** A logger that wraps another and masks every line (message and fields) first. */
export function maskingLogger(inner: Logger, mask: (text: string) => string): Logger {
  return new MaskingLogger(inner, mask);
}

// Classes, not objects of closures: there is a logger per conversation, and its methods are shared.

class ConsoleLogger implements Logger {
  readonly #threshold: number;
  readonly #mask: ((text: string) => string) | undefined;
  readonly #prefix: string;

  constructor(threshold: number, mask: ((text: string) => string) | undefined, prefix: string) {
    this.#threshold = threshold;
    this.#mask = mask;
    this.#prefix = prefix;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#write('debug', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#write('info', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#write('warn', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#write('error', message, fields);
  }

  #write(level: Exclude<Level, 'silent'>, message: string, fields: Record<string, unknown> | undefined): void {
    if (ORDER[level] < this.#threshold) return;
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    const line = `troupe ${level}: ${this.#prefix}${message}${tail}`;
    process.stderr.write((this.#mask ? this.#mask(line) : line) + '\n');
  }
}

class MaskingLogger implements Logger {
  readonly #inner: Logger;
  readonly #mask: (text: string) => string;

  constructor(inner: Logger, mask: (text: string) => string) {
    this.#inner = inner;
    this.#mask = mask;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#inner.debug(this.#mask(message), this.#masked(fields));
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#inner.info(this.#mask(message), this.#masked(fields));
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#inner.warn(this.#mask(message), this.#masked(fields));
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#inner.error(this.#mask(message), this.#masked(fields));
  }

  #masked(fields: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
    return fields ? (JSON.parse(this.#mask(JSON.stringify(fields))) as Record<string, unknown>) : undefined;
  }
}
