import { describe, expect, it } from 'vitest';
import { ConfigError, FILE_HANDLES_VARIABLE, fileHandlesKept } from '../src/index.js';

describe('kept file handles per thread', () => {
  it('takes a sixteenth of the descriptor limit per core, between 32 and 1,024', () => {
    expect(fileHandlesKept({}, 20_000, 2)).toBe(625);
    expect(fileHandlesKept({}, 1_048_576, 2)).toBe(1_024);
    expect(fileHandlesKept({}, 1_024, 8)).toBe(32);
  });

  it('keeps 256 where the limit is unknown', () => {
    expect(fileHandlesKept({}, undefined, 4)).toBe(256);
  });

  it('takes the number set in the environment, and refuses one that is not a positive integer', () => {
    expect(fileHandlesKept({ [FILE_HANDLES_VARIABLE]: '64' }, 20_000, 2)).toBe(64);
    expect(() => fileHandlesKept({ [FILE_HANDLES_VARIABLE]: 'many' }, 20_000, 2)).toThrow(ConfigError);
    expect(() => fileHandlesKept({ [FILE_HANDLES_VARIABLE]: '0' }, 20_000, 2)).toThrow(/positive integer/);
  });
});
