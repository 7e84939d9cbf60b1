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
  const threshold = ORDER[options.level ?? envLevel()];
  const mask = options.mask ?? ((text: string) => text);
  const prefix = options.prefix ? `[${options.prefix}] ` : '';
  const write = (level: Exclude<Level, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < threshold) return;
    const tail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(mask(`troupe ${level}: ${prefix}${message}${tail}`) + '\n');
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A logger that wraps another and masks every line (message and fields) first. */
export function maskingLogger(inner: Logger, mask: (text: string) => string): Logger {
  const wrap = (log: Logger['info']) => (message: string, fields?: Record<string, unknown>) =>
    log(mask(message), fields ? (JSON.parse(mask(JSON.stringify(fields))) as Record<string, unknown>) : undefined);
  return { debug: wrap(inner.debug), info: wrap(inner.info), warn: wrap(inner.warn), error: wrap(inner.error) };
}
