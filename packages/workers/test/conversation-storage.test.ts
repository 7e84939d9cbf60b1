import { describe, expect, it } from 'vitest';
import { ConfigError } from '@troupe/core';
import { chooseStorage } from '../src/actor-init.js';

describe('where a conversation is kept (chooseStorage)', () => {
  const recoveryDir = () => '/tmp/troupe-recovery-x/handle';

  it('a persistenceDir of the caller: persisted there, with the durability asked for (default left to the runtime)', () => {
    expect(chooseStorage({ persistenceDir: '/data' }, recoveryDir)).toEqual({ kind: 'persisted', persistenceDir: '/data' });
    expect(chooseStorage({ persistenceDir: '/data', durability: 'event' }, recoveryDir)).toEqual({ kind: 'persisted', persistenceDir: '/data', durability: 'event' });
  });

  it("none: the host's recovery directory, durability none unless asked; the directory is asked for only then", () => {
    let asked = 0;
    const counting = () => (asked++, recoveryDir());
    expect(chooseStorage({}, counting)).toEqual({ kind: 'recoverable', persistenceDir: recoveryDir(), durability: 'none' });
    expect(chooseStorage({ durability: 'step' }, counting)).toMatchObject({ kind: 'recoverable', durability: 'step' });
    chooseStorage({ persistenceDir: false }, counting);
    chooseStorage({ persistenceDir: '/data' }, counting);
    expect(asked).toBe(2);
  });

  it('false: memory only; a durability with it is refused, naming both options', () => {
    expect(chooseStorage({ persistenceDir: false }, recoveryDir)).toEqual({ kind: 'memory' });
    expect(() => chooseStorage({ persistenceDir: false, durability: 'step' }, recoveryDir)).toThrow(ConfigError);
    expect(() => chooseStorage({ persistenceDir: false, durability: 'step' }, recoveryDir)).toThrow(/durability 'step'.*persistenceDir is false/);
  });
});
