import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConsoleLogger, maskingLogger, type Logger } from '@troupe/core';

afterEach(() => vi.restoreAllMocks());

function captureStderr(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe('console logger', () => {
  it('writes each level at or above its threshold, with the prefix and fields, masked', () => {
    const lines = captureStderr();
    const logger = createConsoleLogger({ level: 'info', prefix: 'conversation c1', mask: (text) => text.replaceAll('hunter2', '<secret-hidden>') });
    logger.debug('not shown');
    logger.info('password hunter2', { attempt: 1 });
    logger.warn('careful');
    logger.error('failed', {});
    expect(lines).toEqual([
      'troupe info: [conversation c1] password <secret-hidden> {"attempt":1}\n',
      'troupe warn: [conversation c1] careful\n',
      'troupe error: [conversation c1] failed\n',
    ]);
  });

  it('a masking logger masks the message and the fields before its inner logger sees them', () => {
    const seen: unknown[][] = [];
    const inner: Logger = {
      debug: (...args) => seen.push(['debug', ...args]),
      info: (...args) => seen.push(['info', ...args]),
      warn: (...args) => seen.push(['warn', ...args]),
      error: (...args) => seen.push(['error', ...args]),
    };
    const logger = maskingLogger(inner, (text) => text.replaceAll('s3cr3t', '***'));
    logger.warn('key s3cr3t', { key: 's3cr3t', n: 2 });
    logger.debug('plain');
    expect(seen).toEqual([
      ['warn', 'key ***', { key: '***', n: 2 }],
      ['debug', 'plain', undefined],
    ]);
  });
});
